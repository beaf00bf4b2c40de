/** Costs on the incident: an estimate as the journal keeps it, and costs as text. */
import type { Translate } from "../incident/verification.svelte";
import type { EntryCost, Estimate, Incident } from "../ipc";

/**
 * An estimate as the journal keeps it; none when there is no figure, or when the action is
 * free by rule (the practice account, Run Command on EC2), which is not a cost AWS reports.
 */
export function entryCostOf(estimate: Estimate | null, actual = false): EntryCost | null {
  if (!estimate || estimate.total === null || estimate.free) return null;
  // A figure from what AWS reported is still only "at most" while the free tier's part is not
  // known.
  const basis = estimate.upperBound ? "atMost" : actual ? "actual" : "estimate";
  return { usd: estimate.total, basis };
}

/** An exact decimal amount as a price reads: "$0.034", "$2.00" (at least cents). */
export function usdText(amount: string): string {
  const [whole, fraction = ""] = amount.split(".");
  return `$${whole}.${fraction.padEnd(2, "0")}`;
}

/** An entry's cost in a few words: "$0.008 (estimate)", "at most $0.06", "$0.20 (actual)". */
export function costText(t: Translate, cost: EntryCost): string {
  return t(`cost.entry.${cost.basis}`, { values: { amount: usdText(cost.usd) } });
}

/** An incident's total in a few words, when one of its actions had a cost. */
export function incidentCostText(t: Translate, incident: Incident): string {
  return t(incident.costAtMost ? "cost.incident.atMost" : "cost.incident.total", {
    values: { amount: usdText(incident.cost) },
  });
}
