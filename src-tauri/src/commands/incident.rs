//! The incident workflow's tools: alarms and metrics (Triage), Logs Insights and CloudTrail
//! (Diagnosis), Run Command (Mitigation) and Automation runbooks (Recovery). Each command is
//! the Cloud port's method for the window's account; changes have a `preview_*` twin that
//! says what they will do (API call, AWS CLI) without doing it, and reads say their CLI
//! through [`incident_cli`], so the UI can show both before anything runs.

use serde::Deserialize;
use tauri::State;
use tauri::ipc::Channel;
use ts_rs::TS;
use unyo_core::AppError;
use unyo_core::action::{ChangePreview, shell_quote};
use unyo_core::alarms::instance::InstanceMetric;
use unyo_core::alarms::{Alarm, AlarmHistoryItem, AlarmQuery, MetricQuery, MetricSeries};
use unyo_core::automation::{AutomationExecution, Runbook, StartAutomationRequest};
use unyo_core::logs::{
    InsightsProgress, InsightsQuery, InsightsTemplate, LogEvent, LogEventsQuery, LogGroup, POLL,
    follow_insights,
};
use unyo_core::run_command::{CommandExecution, SendCommandRequest};
use unyo_core::time::rfc3339;
use unyo_core::trail::{TrailEvent, TrailQuery};

use crate::state::AppState;

#[tauri::command]
pub async fn list_alarms(
    state: State<'_, AppState>,
    account: String,
    query: AlarmQuery,
) -> Result<Vec<Alarm>, AppError> {
    state
        .cloud(&account)
        .await?
        .require_metrics()?
        .list_alarms(&query)
        .await
}

#[tauri::command]
pub async fn get_metric_series(
    state: State<'_, AppState>,
    account: String,
    query: MetricQuery,
) -> Result<MetricSeries, AppError> {
    state
        .cloud(&account)
        .await?
        .require_metrics()?
        .get_metric_series(&query)
        .await
}

#[tauri::command]
pub async fn list_log_groups(
    state: State<'_, AppState>,
    account: String,
    region: String,
) -> Result<Vec<LogGroup>, AppError> {
    state
        .cloud(&account)
        .await?
        .require_logs()?
        .list_log_groups(&region)
        .await
}

#[tauri::command]
pub async fn get_log_events(
    state: State<'_, AppState>,
    account: String,
    query: LogEventsQuery,
) -> Result<Vec<LogEvent>, AppError> {
    state
        .cloud(&account)
        .await?
        .require_logs()?
        .get_log_events(&query)
        .await
}

/// Runs a Logs Insights query to its end, sending each read of its results (status, rows so
/// far, statistics) to `progress` as it comes, so partial rows show while it scans; returns
/// the last. The first read carries the query id that [`stop_logs_insights`] takes.
#[tauri::command]
pub async fn run_logs_insights(
    state: State<'_, AppState>,
    account: String,
    query: InsightsQuery,
    progress: Channel<InsightsProgress>,
) -> Result<InsightsProgress, AppError> {
    let cloud = state.cloud(&account).await?;
    let mut send = |p: &InsightsProgress| {
        // A closed window drops the channel; the query still ends on its own.
        let _ = progress.send(p.clone());
    };
    follow_insights(cloud.require_logs()?, &query, POLL, &mut send).await
}

/// Stops a running Logs Insights query (`StopQuery`); its run then ends as `Cancelled`.
#[tauri::command]
pub async fn stop_logs_insights(
    state: State<'_, AppState>,
    account: String,
    region: String,
    query_id: String,
) -> Result<(), AppError> {
    state
        .cloud(&account)
        .await?
        .require_logs()?
        .stop_insights(&region, &query_id)
        .await
}

/// One runbook with its parameters, for the run form (`DescribeDocument`).
#[tauri::command]
pub async fn describe_runbook(
    state: State<'_, AppState>,
    account: String,
    region: String,
    name: String,
) -> Result<Runbook, AppError> {
    state
        .cloud(&account)
        .await?
        .require_automation()?
        .describe_runbook(&region, &name)
        .await
}

/// An instance's charts: EC2's standard metrics, and the CloudWatch agent's memory and disk
/// when it publishes them; a metric that cannot be read says why in its place.
#[tauri::command]
pub async fn instance_metrics(
    state: State<'_, AppState>,
    account: String,
    region: String,
    instance_id: String,
    start: String,
    end: String,
    period_seconds: u32,
) -> Result<Vec<InstanceMetric>, AppError> {
    let cloud = state.cloud(&account).await?;
    let charts = unyo_core::alarms::instance::instance_metrics(
        cloud.require_metrics()?,
        &region,
        &instance_id,
        &start,
        &end,
        period_seconds,
    )
    .await?;
    Ok(charts.into_iter().map(InstanceMetric::from).collect())
}

/// An alarm's state changes, newest first (`DescribeAlarmHistory`).
#[tauri::command]
pub async fn alarm_history(
    state: State<'_, AppState>,
    account: String,
    region: String,
    alarm_name: String,
) -> Result<Vec<AlarmHistoryItem>, AppError> {
    state
        .cloud(&account)
        .await?
        .require_metrics()?
        .alarm_history(&region, &alarm_name)
        .await
}

/// The ready-made Logs Insights queries Diagnosis offers; the same for every account.
#[tauri::command]
pub fn insights_templates() -> Vec<InsightsTemplate> {
    unyo_core::logs::insights_templates()
}

#[tauri::command]
pub async fn lookup_trail_events(
    state: State<'_, AppState>,
    account: String,
    query: TrailQuery,
) -> Result<Vec<TrailEvent>, AppError> {
    state
        .cloud(&account)
        .await?
        .require_trail()?
        .lookup_trail_events(&query)
        .await
}

#[tauri::command]
pub async fn list_runbooks(
    state: State<'_, AppState>,
    account: String,
    region: String,
) -> Result<Vec<Runbook>, AppError> {
    state
        .cloud(&account)
        .await?
        .require_automation()?
        .list_runbooks(&region)
        .await
}

/// What starting the runbook would do; nothing is sent.
#[tauri::command]
pub fn preview_start_automation(request: StartAutomationRequest) -> ChangePreview {
    request.describe()
}

#[tauri::command]
pub async fn start_automation(
    state: State<'_, AppState>,
    account: String,
    request: StartAutomationRequest,
) -> Result<String, AppError> {
    let cloud = state.cloud(&account).await?;
    let id = cloud
        .require_automation()?
        .start_automation(&request)
        .await?;
    tracing::info!(
        account,
        document = request.document_name,
        id,
        "runbook started"
    );
    Ok(id)
}

#[tauri::command]
pub async fn get_automation_execution(
    state: State<'_, AppState>,
    account: String,
    region: String,
    execution_id: String,
) -> Result<AutomationExecution, AppError> {
    let cloud = state.cloud(&account).await?;
    cloud
        .require_automation()?
        .get_automation_execution(&region, &execution_id)
        .await
}

#[tauri::command]
pub async fn list_automation_executions(
    state: State<'_, AppState>,
    account: String,
    region: String,
) -> Result<Vec<AutomationExecution>, AppError> {
    let cloud = state.cloud(&account).await?;
    cloud
        .require_automation()?
        .list_automation_executions(&region)
        .await
}

/// What sending the command would do; nothing is sent.
#[tauri::command]
pub fn preview_send_command(request: SendCommandRequest) -> ChangePreview {
    request.describe()
}

#[tauri::command]
pub async fn send_command(
    state: State<'_, AppState>,
    account: String,
    request: SendCommandRequest,
) -> Result<String, AppError> {
    let cloud = state.cloud(&account).await?;
    let id = cloud.require_run_command()?.send_command(&request).await?;
    tracing::info!(
        account,
        document = request.document_name,
        id,
        "command sent"
    );
    Ok(id)
}

#[tauri::command]
pub async fn get_command(
    state: State<'_, AppState>,
    account: String,
    region: String,
    command_id: String,
) -> Result<CommandExecution, AppError> {
    state
        .cloud(&account)
        .await?
        .require_run_command()?
        .get_command(&region, &command_id)
        .await
}

#[tauri::command]
pub async fn list_commands(
    state: State<'_, AppState>,
    account: String,
    region: String,
) -> Result<Vec<CommandExecution>, AppError> {
    state
        .cloud(&account)
        .await?
        .require_run_command()?
        .list_commands(&region)
        .await
}

/// A read the incident screen makes, for [`incident_cli`] to say as an AWS CLI command.
#[derive(Debug, Clone, Deserialize, TS)]
#[serde(tag = "kind", content = "query", rename_all = "camelCase")]
#[ts(export)]
pub enum IncidentRead {
    Alarms(AlarmQuery),
    Metric(MetricQuery),
    LogGroups { region: String },
    LogEvents(LogEventsQuery),
    Insights(InsightsQuery),
    Trail(TrailQuery),
    Runbook { region: String, name: String },
    // Single-word fields: serde's `rename_all` renames the variants, not their fields.
    Execution { region: String, id: String },
    Executions { region: String },
    Command { region: String, id: String },
    Commands { region: String },
}

/// The AWS CLI command that makes the same read, for the "CLI equivalent" beside each panel.
#[tauri::command]
pub fn incident_cli(read: IncidentRead) -> String {
    let q = |text: &str| shell_quote(text);
    match read {
        IncidentRead::Alarms(query) => query.cli(),
        IncidentRead::Metric(query) => query.cli(),
        IncidentRead::LogGroups { region } => {
            format!("aws logs describe-log-groups --region {}", q(&region))
        }
        IncidentRead::LogEvents(query) => query.cli(),
        IncidentRead::Insights(query) => query.cli(),
        IncidentRead::Trail(query) => query.cli(),
        IncidentRead::Runbook { region, name } => format!(
            "aws ssm describe-document --region {} --name {}",
            q(&region),
            q(&name)
        ),
        IncidentRead::Execution { region, id } => format!(
            "aws ssm get-automation-execution --region {} --automation-execution-id {}",
            q(&region),
            q(&id)
        ),
        IncidentRead::Executions { region } => format!(
            "aws ssm describe-automation-executions --region {}",
            q(&region)
        ),
        IncidentRead::Command { region, id } => format!(
            "aws ssm list-command-invocations --region {} --command-id {} --details",
            q(&region),
            q(&id)
        ),
        IncidentRead::Commands { region } => {
            format!("aws ssm list-commands --region {}", q(&region))
        }
    }
}

/// The account's "now" (RFC 3339), which every time range on the screen ends at: real time on
/// an AWS account, the scenario's clock on the practice account.
#[tauri::command]
pub async fn account_clock(
    state: State<'_, AppState>,
    account: String,
) -> Result<String, AppError> {
    Ok(rfc3339(state.cloud(&account).await?.now()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_say_their_cli() {
        let cli = incident_cli(IncidentRead::Command {
            region: "ap-northeast-1".into(),
            id: "abc".into(),
        });
        assert_eq!(
            cli,
            "aws ssm list-command-invocations --region ap-northeast-1 --command-id abc --details"
        );
    }
}
