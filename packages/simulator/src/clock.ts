/** The simulator's clock: real time, or a time set by the test driver that then moves on with real time. */
export class SimulatorClock {
  private offsetMs = 0;

  now(): number {
    return Date.now() + this.offsetMs;
  }

  /** Sets the current time; the clock keeps running from there. */
  set(at: number): void {
    this.offsetMs = at - Date.now();
  }

  /** Moves the clock forward (or back, with a negative value). */
  advance(ms: number): void {
    this.offsetMs += ms;
  }

  reset(): void {
    this.offsetMs = 0;
  }
}
