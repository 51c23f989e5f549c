using Amnify.Cli.Api;

namespace Amnify.Cli;

/// <summary>How long <c>--wait</c> waits, and whether it stops at the first gate (<c>--until approval</c>).</summary>
public sealed record WaitFor(TimeSpan Timeout, bool UntilApproval);

/// <summary>
/// Follows a run until it is final, a gate waits for a person (with <c>--until approval</c>) or the timeout passes,
/// printing a line whenever the run, a step or a gate changes. A failed read (network, 5xx) is retried until the
/// timeout: reading is always safe.
/// </summary>
public static class Waiting
{
    public static async Task<int> PipelineRun(Session session, PipelineRun run, WaitFor wait, CancellationToken ct)
    {
        var body = session.Client.LastBody; // the run as the caller's last call answered it
        var progress = new PipelineProgress(session, await ProviderOfPipeline(session, run.PipelineId, ct));
        var deadline = DateTimeOffset.UtcNow + wait.Timeout;
        await using var follow = Follow.Start(session, $"api/v1/pipeline-runs/{run.Id}/events");
        while (true)
        {
            progress.Report(run);
            if (Exit.Of(run.Status) is { } final) return Done(session, body, final);
            if (run.Status == PipelineRunStatus.AwaitingApproval && wait.UntilApproval) return Done(session, body, Exit.AwaitingApproval);
            if (follow.TakeDropNotice() is { } notice) session.Progress($"  ({notice})");
            var left = deadline - DateTimeOffset.UtcNow;
            if (left <= TimeSpan.Zero)
                return TimedOut(session, body, run.Status == PipelineRunStatus.AwaitingApproval, $"pipeline run #{run.Number} is still {Words.Of(run.Status)}");
            await follow.Next(left, ct);
            if (await Read(session, () => session.Client.GetPipelineRunAsync(run.Id, ct)) is { } next) (run, body) = (next, session.Client.LastBody);
        }
    }

    public static async Task<int> DeploymentRun(Session session, DeploymentRun run, WaitFor wait, CancellationToken ct)
    {
        var body = session.Client.LastBody; // the run as the caller's last call answered it
        var progress = new DeploymentProgress(session, await ProviderOfDeployment(session, run.DeploymentId, ct));
        var deadline = DateTimeOffset.UtcNow + wait.Timeout;
        await using var follow = Follow.Start(session, $"api/v1/deployment-runs/{run.Id}/events");
        while (true)
        {
            progress.Report(run);
            if (Exit.Of(run.Status) is { } final) return Done(session, body, final);
            var awaiting = run.Status is RunStatus.AwaitingPlanApproval or RunStatus.AwaitingApplyApproval;
            if (awaiting && wait.UntilApproval) return Done(session, body, Exit.AwaitingApproval);
            if (follow.TakeDropNotice() is { } notice) session.Progress($"  ({notice})");
            var left = deadline - DateTimeOffset.UtcNow;
            if (left <= TimeSpan.Zero) return TimedOut(session, body, awaiting, $"deployment run {run.Id} is still {Words.Of(run.Status)}");
            await follow.Next(left, ct);
            if (await Read(session, () => session.Client.GetDeploymentRunAsync(run.Id, ct)) is { } next) (run, body) = (next, session.Client.LastBody);
        }
    }

    private static int Done(Session session, string? body, int code)
    {
        session.Result(body, () => []);
        return code;
    }

    private static int TimedOut(Session session, string? body, bool awaiting, string what)
    {
        session.Progress(awaiting ? $"{what}: --wait ended while it waits for approval" : $"{what}: --wait timed out");
        return Done(session, body, awaiting ? Exit.AwaitingApproval : Exit.Transient);
    }

    private static async Task<T?> Read<T>(Session session, Func<Task<T>> read) where T : class
    {
        try { return await read(); }
        catch (Exception e) when (Exit.IsTransient(e))
        {
            session.Progress($"  (reading the run failed, retrying: {Exit.Of(e).Message})");
            return null;
        }
    }

    /// <summary>For links only: a caller that may not read the pipeline (or deployment) still gets its progress.</summary>
    public static async Task<CloudProvider?> ProviderOfPipeline(Session session, Guid id, CancellationToken ct)
    {
        try { return (await session.Client.GetPipelineAsync(id, ct)).Provider; }
        catch (ApiException) { return null; }
    }

    public static async Task<CloudProvider?> ProviderOfDeployment(Session session, Guid id, CancellationToken ct)
    {
        try { return (await session.Client.GetDeploymentAsync(id, ct)).Provider; }
        catch (ApiException) { return null; }
    }
}

/// <summary>Progress lines of a pipeline run: one when the run's status changes, one when a step or its gate does.</summary>
public sealed class PipelineProgress(Session session, CloudProvider? provider)
{
    private PipelineRunStatus? status;
    private readonly Dictionary<int, string> steps = [];

    public void Report(PipelineRun run)
    {
        if (status != run.Status)
        {
            status = run.Status;
            session.Progress($"pipeline run #{run.Number} of {run.PipelineName}: {Words.Of(run.Status)}  {session.Link(provider, $"pipeline-runs/{run.Id}")}");
        }
        foreach (var step in run.Steps.OrderBy(s => s.Position))
        {
            var line = Words.Step(step);
            if (steps.TryGetValue(step.Position, out var last) && last == line) continue;
            steps[step.Position] = line;
            var link = step.DeploymentRunId is { } id ? $"  {session.Link(provider, $"runs/{id}")}" : "";
            session.Progress($"  step {step.Position} {step.DeploymentName}: {line}{link}");
        }
    }
}

/// <summary>Progress lines of a deployment run: one per status.</summary>
public sealed class DeploymentProgress(Session session, CloudProvider? provider)
{
    private RunStatus? status;

    public void Report(DeploymentRun run)
    {
        if (status == run.Status) return;
        status = run.Status;
        session.Progress($"{Words.Of(run.Operation)} of {run.DeploymentName}: {Words.Of(run.Status, run.Id)}{Words.Plan(run.Plan)}  {session.Link(provider, $"runs/{run.Id}")}");
    }
}
