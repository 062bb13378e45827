/**
 * In-memory stores lose everything on restart and are not shared between
 * instances: a production app on them would log everyone out on each deploy
 * and let each instance count its own brute-force attempts.
 */
export function refuseInProduction(store: string): void {
  if (process.env.NODE_ENV === 'production') {
    throw new Error(
      `nest-security: ${store} keeps state in this process only and refuses to run with NODE_ENV=production; use typeormStorage() or stores of your own`,
    );
  }
}
