/** The readiness doctor's commands: read-only checks, and saving a region's report. */
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
