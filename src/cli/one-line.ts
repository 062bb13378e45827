/** An error as one line for the operator: its message (or code, or name), without line breaks. */
export function oneLine(error: unknown): string {
  const text = error instanceof Error ? error.message || (error as { code?: string }).code || error.name : String(error);
  return text.replace(/\s*\n\s*/g, ' ');
}
