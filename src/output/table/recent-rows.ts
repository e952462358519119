/**
 * The newest notifications of one channel, at most `capacity` of them: older ones are dropped as
 * new ones arrive, so memory stays flat however long the run lasts. Entries are turned into rows
 * only when drawn, and at most once, so a flood that scrolls past unseen is never parsed.
 */
export class RecentRows<Row> {
  private readonly entries: { line: string; row: Row | undefined }[] = [];

  constructor(
    private capacity: number,
    private readonly toRow: (line: string) => Row,
  ) {}

  push(line: string): void {
    this.entries.push({ line, row: undefined });
    if (this.entries.length > this.capacity) {
      this.entries.splice(0, this.entries.length - this.capacity);
    }
  }

  /** Changes the number kept, such as after a resize; a smaller capacity drops the oldest. */
  setCapacity(capacity: number): void {
    this.capacity = Math.max(1, capacity);
    if (this.entries.length > this.capacity) {
      this.entries.splice(0, this.entries.length - this.capacity);
    }
  }

  get size(): number {
    return this.entries.length;
  }

  /** The newest `limit` rows, newest first. */
  newestFirst(limit: number): Row[] {
    const rows: Row[] = [];
    for (let i = this.entries.length - 1; i >= 0 && rows.length < limit; i--) {
      const entry = this.entries[i];
      if (entry !== undefined) {
        entry.row ??= this.toRow(entry.line);
        rows.push(entry.row);
      }
    }
    return rows;
  }
}
