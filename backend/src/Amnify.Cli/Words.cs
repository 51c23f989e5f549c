using System.Text.RegularExpressions;
using Amnify.Cli.Api;

namespace Amnify.Cli;

/// <summary>Statuses as people read them in a CI log: "waiting for plan approval", not AwaitingPlanApproval.</summary>
public static partial class Words
{
    public static string Of(Enum value) => Spaced(value.ToString());

    public static string Of(RunStatus status, Guid runId) => status switch
    {
        RunStatus.AwaitingPlanApproval => $"waiting for plan approval (amnify run approve-plan {runId})",
        RunStatus.AwaitingApplyApproval => $"waiting for apply approval (amnify run approve-apply {runId})",
        _ => Of(status),
    };

    /// <summary>A pipeline step: its own status, and while it runs, where its deployment run is.</summary>
    public static string Step(PipelineRunStep step)
    {
        var text = Of(step.Status);
        if (step.Status == PipelineStepStatus.Running && step.DeploymentRunId is { } id
            && Enum.TryParse<RunStatus>(step.DeploymentRunStatus, ignoreCase: true, out var run))
            text = run is RunStatus.AwaitingPlanApproval or RunStatus.AwaitingApplyApproval ? Of(run, id) : $"running ({Of(run)})";
        return text + Plan(step.Plan);
    }

    public static string Plan(PlanSummary? plan) =>
        plan is null ? "" : $" [+{plan.Add} ~{plan.Change} -{plan.Destroy}{(plan.Replace > 0 ? $" ±{plan.Replace}" : "")}]";

    private static string Spaced(string name) => Capitals().Replace(name, m => " " + m.Value.ToLowerInvariant()).Trim().ToLowerInvariant();

    [GeneratedRegex("[A-Z]")]
    private static partial Regex Capitals();
}
