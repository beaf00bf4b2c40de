/**
 * A clock for on-screen countdowns ("giving up in 42 s"): it ticks once a second while
 * `running()` holds, and not at all otherwise. Call it while a component is set up.
 */
export function countdownClock(running: () => boolean): {
  secondsUntil(deadline: number): number;
} {
  let now = $state(Date.now());
  $effect(() => {
    if (!running()) return;
    now = Date.now();
    const timer = setInterval(() => (now = Date.now()), 1000);
    return () => clearInterval(timer);
  });
  return {
    /** Whole seconds left until `deadline` (ms since the epoch), never below zero. */
    secondsUntil: (deadline) => Math.max(0, Math.ceil((deadline - now) / 1000)),
  };
}
