namespace Amnify.Api.Auth;

/// <summary>
/// Every action the audit log records: the audit page's action filter is this list, served by
/// <c>GET /audit-events/actions</c>, so it cannot drift from what is written. <see cref="AuditTrail"/> refuses (in Debug
/// builds, which every test runs) an action missing here, so adding one without listing it fails the suite.
/// </summary>
public static class AuditActions
{
    public static readonly IReadOnlyList<string> All =
    [
        "auth.login", "auth.login.failed", "auth.login.throttled", "auth.logout",
        "cloudEnvironment.create", "cloudEnvironment.delete", "cloudEnvironment.update",
        "deployment.create", "deployment.delete", "deployment.update",
        "deploymentRun.approveApply", "deploymentRun.approvePlan", "deploymentRun.cancel", "deploymentRun.reject",
        "deploymentRun.trigger.destroy", "deploymentRun.trigger.execute",
        "pipeline.create", "pipeline.delete", "pipeline.step.add", "pipeline.step.inputs", "pipeline.step.remove",
        "pipeline.step.reorder", "pipeline.update",
        "pipelineRun.cancel", "pipelineRun.resume", "pipelineRun.trigger", "pipelineRun.trigger.destroy",
        "project.create", "project.delete", "project.update",
        "template.sync",
        "token.create", "token.revoke",
        "user.create", "user.update",
        "webhook.create", "webhook.delete", "webhook.redeliver",
    ];

    private static readonly HashSet<string> Known = [.. All];

    public static bool IsKnown(string action) => Known.Contains(action);
}
