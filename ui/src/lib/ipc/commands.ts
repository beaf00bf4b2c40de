/**
 * The backend's commands, typed. This folder is the only place that imports `@tauri-apps/*`;
 * everything else calls these functions.
 */
import { Channel } from "@tauri-apps/api/core";
import { listen } from "@tauri-apps/api/event";
import type { AccountList } from "./bindings/AccountList";
import type { AccountLook } from "./bindings/AccountLook";
import type { AccountRole } from "./bindings/AccountRole";
import type { Alarm } from "./bindings/Alarm";
import type { AlarmHistoryItem } from "./bindings/AlarmHistoryItem";
import type { AlarmQuery } from "./bindings/AlarmQuery";
import type { AutomationExecution } from "./bindings/AutomationExecution";
import type { AutomationHistory } from "./bindings/AutomationHistory";
import type { Bootstrap } from "./bindings/Bootstrap";
import type { CalendarState } from "./bindings/CalendarState";
import type { CallerIdentity } from "./bindings/CallerIdentity";
import type { ChangeIntent } from "./bindings/ChangeIntent";
import type { ChangePreview } from "./bindings/ChangePreview";
import type { ChangeRequest } from "./bindings/ChangeRequest";
import type { CheckResult } from "./bindings/CheckResult";
import type { CheckSet } from "./bindings/CheckSet";
import type { Client } from "./bindings/Client";
import type { CommandExecution } from "./bindings/CommandExecution";
import type { ConfirmedChange } from "./bindings/ConfirmedChange";
import type { DeviceAuthorization } from "./bindings/DeviceAuthorization";
import type { Estimate } from "./bindings/Estimate";
import type { FleetScope } from "./bindings/FleetScope";
import type { FleetSnapshot } from "./bindings/FleetSnapshot";
import type { IncidentRead } from "./bindings/IncidentRead";
import type { InsightsProgress } from "./bindings/InsightsProgress";
import type { InsightsQuery } from "./bindings/InsightsQuery";
import type { InsightsTemplate } from "./bindings/InsightsTemplate";
import type { InstanceMetric } from "./bindings/InstanceMetric";
import type { LogGroup } from "./bindings/LogGroup";
import type { MetricQuery } from "./bindings/MetricQuery";
import type { MetricSeries } from "./bindings/MetricSeries";
import type { MonthUsage } from "./bindings/MonthUsage";
import type { NewProfile } from "./bindings/NewProfile";
import type { OpsItemPreview } from "./bindings/OpsItemPreview";
import type { PriceRefresh } from "./bindings/PriceRefresh";
import type { Probe } from "./bindings/Probe";
import type { ProfileListing } from "./bindings/ProfileListing";
import type { ProfileSummary } from "./bindings/ProfileSummary";
import type { Runbook } from "./bindings/Runbook";
import type { RunbookGuide } from "./bindings/RunbookGuide";
import type { ScenarioDetail } from "./bindings/ScenarioDetail";
import type { ScenarioSummary } from "./bindings/ScenarioSummary";
import type { SendCommandRequest } from "./bindings/SendCommandRequest";
import type { SessionEventDto } from "./bindings/SessionEventDto";
import type { Settings } from "./bindings/Settings";
import type { SsoSessionSummary } from "./bindings/SsoSessionSummary";
import type { StartAutomationRequest } from "./bindings/StartAutomationRequest";
import type { TerminalSize } from "./bindings/TerminalSize";
import type { TokenStatus } from "./bindings/TokenStatus";
import type { TrailEvent } from "./bindings/TrailEvent";
import type { TrailQuery } from "./bindings/TrailQuery";
import type { TunnelInfo } from "./bindings/TunnelInfo";
import type { TunnelRequest } from "./bindings/TunnelRequest";
import type { TunnelUpdate } from "./bindings/TunnelUpdate";
import type { VerifyRequest } from "./bindings/VerifyRequest";
import type { WindowContext } from "./bindings/WindowContext";

import { call } from "./call";

export const bootstrap = () => call<Bootstrap>("bootstrap");
export const listAccounts = () => call<AccountList>("list_accounts");
export const listFleet = (account: string, scope: FleetScope) =>
  call<FleetSnapshot>("list_fleet", { account, scope });
export const saveSettings = (settings: Settings) => call<void>("save_settings", { settings });
export const reportFleetRendered = (pageMs: number) =>
  call<void>("report_fleet_rendered", { pageMs });

/** This window's label, the account and region it opens on, and every account's look. */
export const windowContext = () => call<WindowContext>("window_context");
/** Remembers the account and region this window shows. */
export const chooseContext = (account: string, region: string | null) =>
  call<void>("choose_context", { account, region });
export const saveAccountLook = (account: string, look: AccountLook) =>
  call<AccountLook>("save_account_look", { account, look });
export const setWindowTitle = (title: string) => call<void>("set_window_title", { title });
/** Opens another window beside this one; resolves to its label. */
export const openWindow = () => call<string>("open_window");

/** Every account's look, whenever any window changes one; returns the function that stops. */
export function onAccountLooksChanged(
  handler: (looks: Record<string, AccountLook>) => void,
): Promise<() => void> {
  return listen<Record<string, AccountLook>>("account-looks-changed", (event) =>
    handler(event.payload),
  );
}

/** A session event with its output decoded to bytes. */
export type SessionEvent =
  | { kind: "output"; data: Uint8Array }
  | Exclude<SessionEventDto, { kind: "output" }>;

function toBase64(bytes: Uint8Array): string {
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

function fromBase64(text: string): Uint8Array {
  return Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
}

/**
 * Opens a shell on an instance in `region` (named on the incident's record); `onEvent`
 * receives its output until it closes.
 */
export function openShell(
  account: string,
  instanceId: string,
  region: string | null,
  onEvent: (event: SessionEvent) => void,
): Promise<string> {
  const channel = new Channel<SessionEventDto>();
  channel.onmessage = (dto) =>
    onEvent(dto.kind === "output" ? { kind: "output", data: fromBase64(dto.data) } : dto);
  return call<string>("open_shell", { account, instanceId, region, onEvent: channel });
}

export const writeSession = (id: string, data: Uint8Array) =>
  call<void>("write_session", { id, data: toBase64(data) });
export const resizeSession = (id: string, size: TerminalSize) =>
  call<void>("resize_session", { id, size });
export const closeSession = (id: string) => call<void>("close_session", { id });

// Profiles. Secrets only flow in (a new profile's secret key); nothing returned carries one.
export const listProfiles = () => call<ProfileListing>("list_profiles");
/** Who a profile is; from the backend's cache unless `refresh`. */
export const checkIdentity = (profile: string, refresh: boolean) =>
  call<CallerIdentity>("check_identity", { profile, refresh });
export const knownIdentities = () => call<CallerIdentity[]>("known_identities");
export const addProfile = (profile: NewProfile) => call<ProfileSummary>("add_profile", { profile });
export const deleteProfile = (name: string) => call<void>("delete_profile", { name });
export const addSsoSession = (session: SsoSessionSummary) =>
  call<void>("add_sso_session", { session });
export const submitMfaCode = (profile: string, code: string) =>
  call<void>("submit_mfa_code", { profile, code });

// IAM Identity Center. Tokens stay in the AWS CLI's cache; only their status crosses.
export const ssoStatus = (session: string) => call<TokenStatus>("sso_status", { session });
/** Starts (or joins) the sign-in and opens the approval page in the browser. */
export const ssoSignIn = (session: string) => call<DeviceAuthorization>("sso_sign_in", { session });
/** Resolves when the user has approved; rejects when they refuse or the code expires. */
export const ssoWait = (session: string) => call<TokenStatus>("sso_wait", { session });
export const ssoSignOut = (session: string) => call<void>("sso_sign_out", { session });
export const ssoAccountRoles = (session: string) =>
  call<AccountRole[]>("sso_account_roles", { session });
export const importSsoRoles = (session: string, roles: AccountRole[], region: string | null) =>
  call<ProfileSummary[]>("import_sso_roles", { session, roles, region });

// Tunnels (port forwarding). Status changes arrive on a channel until the tunnel closes.
export function openTunnel(
  account: string,
  request: TunnelRequest,
  onStatus: (update: TunnelUpdate) => void,
): Promise<TunnelInfo> {
  const channel = new Channel<TunnelUpdate>();
  channel.onmessage = onStatus;
  return call<TunnelInfo>("open_tunnel", { account, request, onStatus: channel });
}
export const listTunnels = () => call<TunnelInfo[]>("list_tunnels");
export const closeTunnel = (id: string) => call<void>("close_tunnel", { id });
export const tunnelClients = () => call<Client[]>("tunnel_clients");
export const openTunnelClient = (id: string, client: Client) =>
  call<void>("open_tunnel_client", { id, client });

// Incident tools: Triage (alarms, metrics), Diagnosis (Logs Insights, CloudTrail), Mitigation
// (Run Command) and Recovery (Automation). Changes have a preview that sends nothing.
export const accountClock = (account: string) => call<string>("account_clock", { account });
export const incidentCli = (read: IncidentRead) => call<string>("incident_cli", { read });
export const listAlarms = (account: string, query: AlarmQuery) =>
  call<Alarm[]>("list_alarms", { account, query });
export const getMetricSeries = (account: string, query: MetricQuery) =>
  call<MetricSeries>("get_metric_series", { account, query });
/**
 * An instance's charts between `start` and `end` (RFC 3339): EC2's metrics, then the
 * CloudWatch agent's memory and each disk when published; a metric that failed carries its
 * error in its place. Rejects only for the whole read (bad times, no metrics capability).
 */
export const instanceMetrics = (
  account: string,
  region: string,
  instanceId: string,
  start: string,
  end: string,
  periodSeconds: number,
) =>
  call<InstanceMetric[]>("instance_metrics", {
    account,
    region,
    instanceId,
    start,
    end,
    periodSeconds,
  });
export const listLogGroups = (account: string, region: string) =>
  call<LogGroup[]>("list_log_groups", { account, region });
export const alarmHistory = (account: string, region: string, alarmName: string) =>
  call<AlarmHistoryItem[]>("alarm_history", { account, region, alarmName });
/**
 * Runs a Logs Insights query; `onProgress` receives each read of it (status, rows so far) while
 * it scans, and the call resolves to the last one. The first read carries the query id that
 * `stopLogsInsights` takes.
 */
export function runLogsInsights(
  account: string,
  query: InsightsQuery,
  onProgress: (progress: InsightsProgress) => void,
): Promise<InsightsProgress> {
  const channel = new Channel<InsightsProgress>();
  channel.onmessage = onProgress;
  return call<InsightsProgress>("run_logs_insights", { account, query, progress: channel });
}
/** Stops a running query; its run then ends as `Cancelled`. */
export const stopLogsInsights = (account: string, region: string, queryId: string) =>
  call<void>("stop_logs_insights", { account, region, queryId });
export const insightsTemplates = () => call<InsightsTemplate[]>("insights_templates");
export const lookupTrailEvents = (account: string, query: TrailQuery) =>
  call<TrailEvent[]>("lookup_trail_events", { account, query });
export const listRunbooks = (account: string, region: string) =>
  call<Runbook[]>("list_runbooks", { account, region });
/** One runbook with its parameters (`DescribeDocument`), for the run form. */
export const describeRunbook = (account: string, region: string, name: string) =>
  call<Runbook>("describe_runbook", { account, region, name });
export const listAutomationExecutions = (account: string, region: string) =>
  call<AutomationExecution[]>("list_automation_executions", { account, region });
export const listCommands = (account: string, region: string) =>
  call<CommandExecution[]>("list_commands", { account, region });
export const previewStartAutomation = (request: StartAutomationRequest) =>
  call<ChangePreview>("preview_start_automation", { request });
export const startAutomation = (account: string, request: StartAutomationRequest) =>
  call<string>("start_automation", { account, request });
export const getAutomationExecution = (account: string, region: string, executionId: string) =>
  call<AutomationExecution>("get_automation_execution", { account, region, executionId });
export const previewSendCommand = (request: SendCommandRequest) =>
  call<ChangePreview>("preview_send_command", { request });
export const sendCommand = (account: string, request: SendCommandRequest) =>
  call<string>("send_command", { account, request });
export const getCommand = (account: string, region: string, commandId: string) =>
  call<CommandExecution>("get_command", { account, region, commandId });

// Verification: typed probes run on the instance by one read-only Run Command, each judged on
// its own output, so a later line never turns a failed check into a pass.
/**
 * What Unyo knows of `runbook`: read-only or not, what it changes, the checks that prove its
 * goal, and the checks the user added to it on `account`.
 */
export const runbookGuide = (account: string, runbook: string) =>
  call<RunbookGuide>("runbook_guide", { account, runbook });
/** Replaces the user's own checks of a runbook or document on an account; answers the saved ones. */
export const saveOwnChecks = (account: string, document: string, probes: Probe[]) =>
  call<Probe[]>("save_own_checks", { account, document, probes });
/** The named check sets (sshd, rdp, agent) offered to add. */
export const checkSets = () => call<CheckSet[]>("check_sets");
/** What running the checks sends (a read-only Run Command), without sending it. */
export const previewVerification = (request: VerifyRequest) =>
  call<ChangePreview>("preview_verification", { request });
/** Runs the checks on the instance (up to about two minutes) and judges each. */
export const verifyInstance = (account: string, request: VerifyRequest) =>
  call<CheckResult[]>("verify_instance", { account, request });

// Change control: the Change Calendar's state, Change Manager change requests (for accounts
// that still have Change Manager), and the change record written before every change.
/** The region's Change Calendars together; null when the account has none there. */
export const changeCalendar = (account: string, region: string) =>
  call<CalendarState | null>("change_calendar", { account, region });
/** The approved change templates a runbook can be submitted from. */
export const changeTemplates = (account: string, region: string) =>
  call<string[]>("change_templates", { account, region });
export const previewChangeRequest = (request: ChangeRequest) =>
  call<ChangePreview>("preview_change_request", { request });
/** Submits the runbook as a change request; answers its execution id. */
export const submitChangeRequest = (account: string, request: ChangeRequest) =>
  call<string>("submit_change_request", { account, request });
/** The change record for `intent`, signed with who confirms it; refused when incomplete. */
export const confirmChange = (account: string, intent: ChangeIntent) =>
  call<ConfirmedChange>("confirm_change", { account, intent });

// Cost: the estimate before a billable action, from the region's prices and the account's
// free-tier answer.
export const automationHistory = (account: string) =>
  call<AutomationHistory>("automation_history", { account });
export const setAutomationHistory = (account: string, history: AutomationHistory) =>
  call<void>("set_automation_history", { account, history });
/** A runbook of `steps` steps, `scriptSteps` of them aws:executeScript. */
export const estimateRunbook = (
  account: string,
  region: string,
  steps: number,
  scriptSteps: number,
) => call<Estimate>("estimate_runbook", { account, region, steps, scriptSteps });
/** What a finished execution cost, from the steps it ran and its scripts' seconds. */
export const estimateExecution = (account: string, execution: AutomationExecution) =>
  call<Estimate>("estimate_execution", { account, execution });
/** This month's use in `region` against the free tiers, on the account's clock. */
export const monthUsage = (account: string, region: string) =>
  call<MonthUsage>("month_usage", { account, region });
/** Reads the region's prices from the AWS Price List and keeps them for later estimates. */
export const refreshPrices = (account: string, region: string) =>
  call<PriceRefresh>("refresh_prices", { account, region });
/** A Run Command to `instanceIds`: free on EC2, priced per invocation on hybrid nodes. */
export const estimateRunCommand = (account: string, region: string, instanceIds: string[]) =>
  call<Estimate>("estimate_run_command", { account, region, instanceIds });
/** What mirroring the incident to OpsCenter in `region` will create, its AWS CLI and price. */
export const opsItemPreview = (account: string, region: string, incidentId: number) =>
  call<OpsItemPreview>("ops_item_preview", { account, region, incidentId });
/** Creates the OpsItem and records it on the incident; resolves to its id. */
export const mirrorToOpsCenter = (account: string, region: string, incidentId: number) =>
  call<string>("mirror_to_ops_center", { account, region, incidentId });
/** A Session Manager session (shell or port forward) to `nodeId`: free on EC2 instances. */
export const estimateSession = (account: string, region: string, nodeId: string) =>
  call<Estimate>("estimate_session", { account, region, nodeId });
/** A Logs Insights query: before it runs over `bytes` stored, or once it has `scanned` them. */
export const estimateLogsInsights = (
  account: string,
  region: string,
  bytes: number,
  scanned: boolean,
) => call<Estimate>("estimate_logs_insights", { account, region, bytes, scanned });

// Lessons: the practice account's scenarios. Only the practice account has them, so these
// take no account id.
export const listScenarios = () => call<ScenarioSummary[]>("list_scenarios");
/** A scenario's text with its checks evaluated now (this is also how progress is polled). */
export const scenarioDetail = (id: string) => call<ScenarioDetail>("scenario_detail", { id });
/** Resets the practice account and breaks it as the scenario describes. */
export const startScenario = (id: string) => call<ScenarioDetail>("start_scenario", { id });
export const resetPracticeAccount = () => call<void>("reset_practice_account");
/** Forgets one lesson's progress: not started again. */
export const resetLesson = (id: string) => call<void>("reset_lesson", { id });
