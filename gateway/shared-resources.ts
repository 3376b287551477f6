// Resources that should outlive a config reload when their settings did not change (rate-limit counters, the
// response cache, the usage log file): one instance per settings key, closed when no config uses it any more.

export class SharedResources<T> {
  private readonly entries = new Map<string, { value: T; refs: number }>();

  constructor(private readonly closeValue: (value: T) => Promise<void>) {}

  acquire(key: string, create: () => T): T {
    let entry = this.entries.get(key);
    if (!entry) this.entries.set(key, (entry = { value: create(), refs: 0 }));
    entry.refs++;
    return entry.value;
  }

  release(key: string): Promise<void> {
    const entry = this.entries.get(key);
    if (!entry || --entry.refs > 0) return Promise.resolve();
    this.entries.delete(key);
    return this.closeValue(entry.value);
  }
}
