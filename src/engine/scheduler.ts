/** Lets a part of the run act later in simulated time (the guest's and QEMU's event loops). */
export interface Scheduler {
  at(t: number, fn: (t: number) => void): void;
  /** The simulated time of the guest or device action running now (for callbacks that carry none). */
  now(): number;
}
