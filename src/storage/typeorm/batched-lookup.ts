/**
 * Coalesces concurrent lookups by key into one statement (as DataLoader
 * does): keys asked for while the event loop handles one round of I/O are
 * sent together at its end (`setImmediate`), as `= ANY($1)`. Under load the
 * authenticated requests of many connections then cost one round trip and
 * one server-side execution; a lone request still costs exactly one query.
 * Each caller gets the rows of its own key, or the statement's error.
 */
export class BatchedLookup<R> {
  private pending = new Map<string, Array<{ resolve: (rows: R[]) => void; reject: (error: unknown) => void }>>();
  private scheduled = false;

  constructor(
    /** Runs one statement for these keys; returns each key's rows. */
    private readonly run: (keys: string[]) => Promise<Map<string, R[]>>,
    private readonly maxBatch = 256,
  ) {}

  load(key: string): Promise<R[]> {
    return new Promise((resolve, reject) => {
      const waiting = this.pending.get(key);
      if (waiting) waiting.push({ resolve, reject });
      else this.pending.set(key, [{ resolve, reject }]);
      if (this.pending.size >= this.maxBatch) this.flush();
      else if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  private flush(): void {
    this.scheduled = false;
    if (this.pending.size === 0) return;
    const batch = this.pending;
    this.pending = new Map();
    this.run([...batch.keys()]).then(
      (rows) => {
        for (const [key, waiting] of batch) for (const each of waiting) each.resolve(rows.get(key) ?? []);
      },
      (error: unknown) => {
        for (const waiting of batch.values()) for (const each of waiting) each.reject(error);
      },
    );
  }
}
