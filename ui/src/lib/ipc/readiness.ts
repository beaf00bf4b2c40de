/**
 * The readiness doctor's commands: read-only checks, saving a region's report, and the fixes
 * Unyo can make (described first, applied only when the user confirmed).
 */
import type { ActionStarted } from "./bindings/ActionStarted";
import type { ReadinessAction } from "./bindings/ReadinessAction";
import type { ReadinessActionPreview } from "./bindings/ReadinessActionPreview";
import type { ReadinessReport } from "./bindings/ReadinessReport";
import type { RegionReadiness } from "./bindings/RegionReadiness";
import type { ReportFormat } from "./bindings/ReportFormat";
import { call } from "./call";

export const instanceReadiness = (account: string, instanceId: string) =>
  call<ReadinessReport>("instance_readiness", { account, instanceId });
export const regionReadiness = (account: string, region: string) =>
  call<RegionReadiness>("region_readiness", { account, region });
/** Resolves to the path of the saved file. */
export const saveRegionReadiness = (readiness: RegionReadiness, format: ReportFormat) =>
  call<string>("save_region_readiness", { readiness, format });
/** What the fix would do and cost; nothing is sent. */
export const previewReadinessAction = (action: ReadinessAction) =>
  call<ReadinessActionPreview>("preview_readiness_action", { action });
/** Makes the fix; resolves to the runbook or command to follow, if any. */
export const applyReadinessAction = (account: string, action: ReadinessAction) =>
  call<ActionStarted>("apply_readiness_action", { account, action });
