//! The incident workflow's tools: alarms and metrics (Triage), Logs Insights and CloudTrail
//! (Diagnosis), Run Command (Mitigation) and Automation runbooks (Recovery). Each command is
//! the Cloud port's method for the window's account; changes have a `preview_*` twin that
//! says what they will do (API call, AWS CLI) without doing it, and reads say their CLI
//! through [`incident_cli`], so the UI can show both before anything runs.

use serde::Deserialize;
use tauri::State;
use ts_rs::TS;
use unyo_core::action::{ChangePreview, shell_quote};
use unyo_core::alarms::{Alarm, AlarmQuery, MetricQuery, MetricSeries};
use unyo_core::automation::{AutomationExecution, Runbook, StartAutomationRequest};
use unyo_core::logs::{
    InsightsQuery, InsightsResult, InsightsTemplate, LogEvent, LogEventsQuery, LogGroup,
};
use unyo_core::run_command::{CommandExecution, SendCommandRequest};
use unyo_core::trail::{TrailEvent, TrailQuery};
use unyo_core::{AccountKind, AppError, Cloud};
use unyo_practice::clock::{parse_rfc3339, rfc3339};

use crate::state::AppState;

#[tauri::command]
pub async fn list_alarms(
    state: State<'_, AppState>,
    account: String,
    query: AlarmQuery,
) -> Result<Vec<Alarm>, AppError> {
    state.cloud(&account).await?.list_alarms(&query).await
}

#[tauri::command]
pub async fn get_metric_series(
    state: State<'_, AppState>,
    account: String,
    query: MetricQuery,
) -> Result<MetricSeries, AppError> {
    state.cloud(&account).await?.get_metric_series(&query).await
}

#[tauri::command]
pub async fn list_log_groups(
    state: State<'_, AppState>,
    account: String,
    region: String,
) -> Result<Vec<LogGroup>, AppError> {
    state.cloud(&account).await?.list_log_groups(&region).await
}

#[tauri::command]
pub async fn get_log_events(
    state: State<'_, AppState>,
    account: String,
    query: LogEventsQuery,
) -> Result<Vec<LogEvent>, AppError> {
    state.cloud(&account).await?.get_log_events(&query).await
}

#[tauri::command]
pub async fn run_logs_insights(
    state: State<'_, AppState>,
    account: String,
    query: InsightsQuery,
) -> Result<InsightsResult, AppError> {
    state.cloud(&account).await?.run_logs_insights(&query).await
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
        .lookup_trail_events(&query)
        .await
}

#[tauri::command]
pub async fn list_runbooks(
    state: State<'_, AppState>,
    account: String,
    region: String,
) -> Result<Vec<Runbook>, AppError> {
    state.cloud(&account).await?.list_runbooks(&region).await
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
    let id = cloud.start_automation(&request).await?;
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
    cloud.get_automation_execution(&region, &execution_id).await
}

#[tauri::command]
pub async fn list_automation_executions(
    state: State<'_, AppState>,
    account: String,
    region: String,
) -> Result<Vec<AutomationExecution>, AppError> {
    let cloud = state.cloud(&account).await?;
    cloud.list_automation_executions(&region).await
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
    let id = cloud.send_command(&request).await?;
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
        .get_command(&region, &command_id)
        .await
}

#[tauri::command]
pub async fn list_commands(
    state: State<'_, AppState>,
    account: String,
    region: String,
) -> Result<Vec<CommandExecution>, AppError> {
    state.cloud(&account).await?.list_commands(&region).await
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

/// The account's "now" (RFC 3339), which every time range on the screen ends at.
///
/// A real account lives in real time. The practice account runs its own clock (a scenario
/// always starts at 10:04 that morning, whatever the date), which the Cloud port does not
/// expose yet, so it is read off the account itself: CloudWatch reports only complete
/// periods, so the newest datapoint of an alarm's metric ends within one period of now.
#[tauri::command]
pub async fn account_clock(
    state: State<'_, AppState>,
    account: String,
) -> Result<String, AppError> {
    let cloud = state.cloud(&account).await?;
    let real_now = || {
        let secs = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        rfc3339(i64::try_from(secs).unwrap_or(i64::MAX / 2))
    };
    if cloud.account().kind != AccountKind::Practice {
        return Ok(real_now());
    }
    Ok(practice_now(cloud.as_ref()).await.unwrap_or_else(real_now))
}

/// An upper bound of the practice account's now, within one metric period; `None` when it
/// has no alarm to read it from.
async fn practice_now(cloud: &dyn Cloud) -> Option<String> {
    let region = cloud
        .account()
        .default_region
        .clone()
        .or_else(|| cloud.account().regions.first().cloned())?;
    let query = AlarmQuery {
        region: region.clone(),
        ..AlarmQuery::default()
    };
    let alarms = cloud.list_alarms(&query).await.ok()?;
    // The most recent state change is at most a day before now, which bounds the read.
    let alarm = alarms
        .into_iter()
        .max_by_key(|a| parse_rfc3339(&a.state_updated_at))?;
    let changed = parse_rfc3339(&alarm.state_updated_at)?;
    let period = i64::from(alarm.period_seconds.max(60));
    let series = cloud
        .get_metric_series(&MetricQuery {
            region,
            metric: alarm.metric,
            statistic: alarm.statistic,
            period_seconds: alarm.period_seconds,
            start: rfc3339(changed - period),
            end: rfc3339(changed + 2 * 86_400),
        })
        .await
        .ok()?;
    let last = parse_rfc3339(&series.points.last()?.timestamp)?;
    // The newest complete period [last, last + period) ended at or before now, and the next
    // one has not: now < last + 2 periods.
    Some(rfc3339(last + 2 * period))
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use unyo_practice::PracticeCloud;
    use unyo_practice::clock::{ManualClock, START};

    use super::*;

    #[tokio::test]
    async fn the_practice_clock_is_read_within_a_period() {
        let clock = ManualClock::default();
        clock.advance(3600 + 30);
        let cloud = PracticeCloud::with_clock(Arc::new(clock), unyo_practice::SEED);
        let now = practice_now(&cloud).await.map(|t| parse_rfc3339(&t));
        let actual = START + 3600 + 30;
        let read = now.flatten().unwrap_or_default();
        assert!(read >= actual && read < actual + 60, "{read} vs {actual}");
    }

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
