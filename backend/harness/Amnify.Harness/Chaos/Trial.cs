using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using Amnify.Harness.Infra;

namespace Amnify.Harness.Chaos;

/// <summary>What a trial did and found.</summary>
public sealed record TrialResult(int Number, string Kind, string Fault, string Outcome, List<string> Violations, List<string> Notes, TimeSpan Took);

/// <summary>
/// One trial: fresh recorder deployments chained in a pipeline (sometimes two pipelines sharing a deployment,
/// so one waits for the other's lock), run and approved through the API while one fault strikes at its
/// phase; failed pipeline runs are re-triggered to prove they can resume; then the invariants are checked.
/// </summary>
public sealed class Trial(int number, FaultKind kind, ChaosContext context, Random random)
{
    private readonly ApiClient api = context.Api;
    private readonly string prefix = $"{context.RunTag}-t{number:D2}";
    private readonly Dictionary<Guid, string> deployments = [];
    private readonly List<Guid> pipelines = [];
    private readonly List<string> notes = [];
    private readonly List<string> outcomes = [];
    private readonly object noteLock = new();

    private TimeSpan Deadline => context.Smoke ? TimeSpan.FromSeconds(90) : TimeSpan.FromSeconds(180);

    public async Task<TrialResult> Run()
    {
        var clock = Stopwatch.StartNew();
        var violations = new List<string>();
        string fault = "not struck";
        try
        {
            var shared = !context.Smoke && number % 3 == 0;
            var destroy = kind.Phase == Phase.Destroying;
            var slowApply = kind.Phase is Phase.Applying or Phase.Destroying;
            var slowPlan = kind.Phase is Phase.Planning || (kind.Phase is Phase.Random && Next(0, 2) == 0);
            var a = await CreateDeployment("a", slowApply, slowPlan);
            var b = await CreateDeployment("b", slowApply, slowPlan);
            var p = await CreatePipeline("p", [a, b]);
            var pipelineIds = new List<Guid> { p };
            if (shared)
            {
                var c = await CreateDeployment("c", slowApply, slowPlan);
                pipelineIds.Add(await CreatePipeline("q", [c, b]));
            }

            using var stop = new CancellationTokenSource();
            var orphans = new List<string>();
            var strike = context.Faults.Strike(kind, [.. deployments.Keys], new Random(Next(0, int.MaxValue)), Deadline * 3, orphans, stop.Token);
            try
            {
                var drives = await Task.WhenAll(pipelineIds.Select((id, i) => DriveToEnd(id, $"{(i == 0 ? "P" : "Q")}")));
                violations.AddRange(drives.OfType<string>());
                if (destroy) await DestroyThrough(a);
            }
            finally
            {
                stop.Cancel();
                fault = await strike;
                violations.AddRange(orphans);
            }
        }
        catch (Exception e)
        {
            violations.Add($"harness could not complete the trial: {e.GetType().Name}: {e.Message}");
        }

        try
        {
            await Task.Delay(300);
            var evidence = await Evidence.Collect(context.Db, deployments, pipelines, context.Cluster.RecordDir);
            violations.AddRange(Invariants.Check(evidence, allFinal: true));
            foreach (var r in evidence.Runs.Where(r => r.Status == "failed"))
            {
                var where = r.ApplyStartedAt is null ? "before applying" : "while applying";
                var error = FirstLine(r.Error);
                if (Explain(r) is { } why) Note($"run {r.Short} of {deployments[r.DeploymentId]} failed {where} ({why}): {error}");
                else violations.Add($"failed with no fault to explain it: run {r.Id} of {deployments[r.DeploymentId]} ({r.Operation}) failed {where} " +
                                    $"[queued {Evidence.Time(r.QueuedAt)}, started {Evidence.Time(r.StartedAt)}, finished {Evidence.Time(r.FinishedAt)}]: {error}" +
                                    (error.Contains("state lock", StringComparison.OrdinalIgnoreCase)
                                        ? " (no terraform of this deployment was left running: the pg lock was held by another deployment's terraform)" : ""));
            }
        }
        catch (Exception e)
        {
            violations.Add($"harness could not read the evidence: {e.GetType().Name}: {e.Message}");
        }
        lock (noteLock) return new TrialResult(number, kind.Name, fault, string.Join("; ", outcomes), violations, [.. notes], clock.Elapsed);
    }

    private readonly object randomLock = new();

    private int Next(int min, int max)
    {
        lock (randomLock) return random.Next(min, max);
    }

    private static string FirstLine(string? text)
    {
        if (text is null) return "(no error)";
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        // Terraform's errors: "Error: <summary>" then "Error message: <detail>".
        var detail = lines.FirstOrDefault(l => l.StartsWith("Error message:", StringComparison.Ordinal));
        return string.Join(" — ", new[] { lines.FirstOrDefault(), detail }.Where(l => l is not null));
    }

    private static readonly string[] DatabaseTrouble =
    [
        "connection refused", "terminating connection", "the database system is", "server closed the connection", "broken pipe",
        "connection reset", "EOF", "57P01", "57P03", "bad connection", "The engine failed while working on this run",
    ];

    /// <summary>
    /// Why a run could fail in this trial: `interrupted` (a worker died, by design); a database error while
    /// PostgreSQL restarted or within 30 s after (stale pooled connections); Terraform's state lock held by
    /// terraform a killed worker left running on the same deployment. Anything else has no fault to blame.
    /// </summary>
    private string? Explain(RunRow run)
    {
        var error = run.Error ?? "";
        if (error.StartsWith("interrupted", StringComparison.Ordinal)) return "expected: interrupted";
        var from = (run.StartedAt ?? run.QueuedAt).AddSeconds(-2);
        var to = (run.FinishedAt ?? DateTime.UtcNow).AddSeconds(2);
        if (DatabaseTrouble.Any(t => error.Contains(t, StringComparison.OrdinalIgnoreCase)))
        {
            if (context.Faults.StruckBetween(FaultAction.RestartPostgres, from, to)) return "PostgreSQL restarted meanwhile";
            // A pooled connection opened before a restart fails at its first use, possibly seconds later.
            if (context.Faults.StruckBetween(FaultAction.RestartPostgres, from.AddSeconds(-30), to))
                return "PostgreSQL restarted shortly before: a stale pooled connection failed at its first use";
        }
        if (error.Contains("state lock", StringComparison.OrdinalIgnoreCase) && context.Faults.OrphanAlive(run.DeploymentId, from, to))
            return "terraform orphaned by a killed worker held this deployment's state lock";
        return null;
    }

    private void AddOutcome(string text)
    {
        lock (noteLock) outcomes.Add(text);
    }

    private void Note(string text)
    {
        lock (noteLock) notes.Add(text);
    }

    /// <param name="slowApply">The apply (and a destroy) waits 3 s, so faults can land while it runs.</param>
    /// <param name="slowPlan">The plan reads a remote state the harness answers after 1.5–2.5 s, so faults can land while it runs.</param>
    private async Task<Guid> CreateDeployment(string suffix, bool slowApply, bool slowPlan)
    {
        var name = $"{prefix}-{suffix}";
        var body = new
        {
            projectId = context.ProjectId, templateId = "aws-recorder", cloudEnvironmentId = context.EnvironmentId, name,
            variables = new Dictionary<string, object>
            {
                ["name"] = name, ["record_url"] = context.Server.RecordUrl, ["generation"] = $"g{number}",
                ["apply_delay_seconds"] = slowApply ? 3 : Next(0, 2),
                ["plan_delay_url"] = slowPlan ? context.Server.Url(Next(1500, 2500)) : "",
            },
        };
        var id = await CreateOrFind("/api/v1/deployments", body, name, $"/api/v1/deployments?provider=aws&q={name}");
        lock (noteLock) deployments[id] = name;
        return id;
    }

    private async Task<Guid> CreatePipeline(string suffix, Guid[] steps)
    {
        var name = $"{prefix}-{suffix}";
        var id = await CreateOrFind("/api/v1/pipelines", new { provider = "aws", name, description = "chaos trial" }, name,
            $"/api/v1/pipelines?provider=aws&q={name}");
        foreach (var deploymentId in steps)
        {
            var added = await ApiClient.Retry(() => api.Post($"/api/v1/pipelines/{id}/steps", new { deploymentId }), TimeSpan.FromSeconds(90), CountServerError);
            if (!added.Ok && added.Status != HttpStatusCode.Conflict) throw new InvalidOperationException($"adding a step answered {added.Code}: {added.Text}");
        }
        var pipeline = await ApiClient.Retry(() => api.Get($"/api/v1/pipelines/{id}"), TimeSpan.FromSeconds(90), CountServerError);
        if (pipeline.Body?["steps"]?.AsArray().Count != steps.Length) throw new InvalidOperationException($"pipeline {name} has not {steps.Length} steps: {pipeline.Text}");
        lock (noteLock) pipelines.Add(id);
        return id;
    }

    /// <summary>A create that survives a lost answer: on 409 (it was made after all) the item is found by name.</summary>
    private async Task<Guid> CreateOrFind(string path, object body, string name, string search)
    {
        var created = await ApiClient.Retry(() => api.Post(path, body), TimeSpan.FromSeconds(90), CountServerError);
        if (created.Status == HttpStatusCode.Created) return created.Id;
        if (created.Status == HttpStatusCode.Conflict)
        {
            var found = await ApiClient.Retry(() => api.Get(search), TimeSpan.FromSeconds(60), CountServerError);
            var item = found.Body?["items"]?.AsArray().FirstOrDefault(i => i?["name"]?.GetValue<string>() == name);
            if (item is not null) return Guid.Parse(item["id"]!.GetValue<string>());
        }
        throw new InvalidOperationException($"POST {path} answered {created.Code}: {created.Text}");
    }

    private void CountServerError(Answer answer) =>
        context.ServerErrors.Add($"{answer.Code} {answer.Request} → {answer.Body?["title"]?.ToString() ?? answer.Text[..Math.Min(120, answer.Text.Length)]}");

    /// <summary>
    /// Runs the pipeline until it ends; a run that failed or was cancelled is triggered again to prove it
    /// resumes. Answers a violation when it cannot (one still active at the deadline is the invariants' to judge).
    /// </summary>
    private async Task<string?> DriveToEnd(Guid pipelineId, string label)
    {
        var first = await Trigger(pipelineId, $"{prefix}-{label}-1");
        var status = await Drive(first, label + "#1");
        var attempt = 1;
        string? stuck = null;
        if (status == "still active" && (await Describe(first)).Contains(" is awaiting", StringComparison.Ordinal))
            status = await Drive(first, label + "#1", Deadline / 2); // waiting for the harness's own approvals: slow, not stuck
        if (status == "still active")
        {
            var before = await Describe(first);
            await context.Faults.Heal();
            status = await Drive(first, label + "#1 after restarting the workers", Deadline / 2);
            stuck = $"stuck: pipeline run {label}#1 ({first}) was still active {Deadline.TotalSeconds:0} s after its trigger ({before}); " +
                    $"after a restart of both workers it ended {status}";
        }
        while (status is "failed" or "cancelled" && attempt < MaxAttempts)
        {
            attempt++;
            await Task.Delay(1000);
            var again = await ApiClient.Retry(() => api.Post($"/api/v1/pipelines/{pipelineId}/runs", null, $"{prefix}-{label}-{attempt}"),
                TimeSpan.FromSeconds(90), CountServerError);
            if (again.Status != HttpStatusCode.Accepted)
                return $"not resumable: re-triggering pipeline {label} ({pipelineId}) after its run ended {status} answered {again.Code}: {again.Text}";
            status = await Drive(again.Id, $"{label}#{attempt}");
        }
        if (stuck is not null) return stuck;
        return status is "failed" or "cancelled"
            ? $"not resumable: pipeline {label} ({pipelineId}) still ended {status} after {attempt} runs (each failed or cancelled run was triggered again)"
            : null;
    }

    /// <summary>The pipeline run's status and its current step's deployment run, as the database has them.</summary>
    private async Task<string> Describe(Guid pipelineRunId)
    {
        var rows = await context.Db.TryQuery<RunRow>("""
            SELECT d.id, d.deployment_id, d.operation, d.status, d.pipeline_run_id, d.worker_id, d.lease_expires_at, d.attempt, d.queued_at, d.apply_started_at
            FROM pipeline_run_steps s JOIN deployment_runs d ON d.id = s.deployment_run_id
            WHERE s.pipeline_run_id = @pipelineRunId AND s.status = 'running'
            """, new { pipelineRunId });
        var run = rows?.FirstOrDefault();
        return run is null ? "no running step"
            : $"its step's run {run.Id} is {run.Status}{(run.ApplyStartedAt is null ? "" : ", apply begun")}, worker {run.WorkerId ?? "none"}, lease until {Evidence.Time(run.LeaseExpiresAt)}, attempt {run.Attempt}";
    }

    private const int MaxAttempts = 5;

    private async Task<Guid> Trigger(Guid pipelineId, string key)
    {
        var answer = await ApiClient.Retry(() => api.Post($"/api/v1/pipelines/{pipelineId}/runs", null, key), TimeSpan.FromSeconds(90), CountServerError);
        if (answer.Status is not (HttpStatusCode.Accepted or HttpStatusCode.OK))
            throw new InvalidOperationException($"trigger answered {answer.Code}: {answer.Text}");
        return answer.Id;
    }

    /// <summary>Polls the pipeline run, approving each plan and apply as soon as asked (after a short human delay), until it ends.</summary>
    private async Task<string> Drive(Guid pipelineRunId, string label, TimeSpan? limit = null)
    {
        var until = DateTime.UtcNow + (limit ?? Deadline);
        var approved = new HashSet<(Guid, string)>();
        while (DateTime.UtcNow < until)
        {
            Answer run;
            try { run = await ApiClient.Retry(() => api.Get($"/api/v1/pipeline-runs/{pipelineRunId}"), TimeSpan.FromSeconds(30), CountServerError); }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException) { continue; }
            if (!run.Ok) { await Task.Delay(300); continue; }
            var status = run.Body!["status"]!.GetValue<string>();
            if (status is "completed" or "failed" or "cancelled")
            {
                var steps = run.Body["steps"]!.AsArray().Select(s => s!["status"]!.GetValue<string>());
                AddOutcome($"{label} {status} [{string.Join(",", steps)}]");
                return status;
            }
            var current = run.Body["steps"]!.AsArray().FirstOrDefault(s => s!["status"]!.GetValue<string>() == "running");
            var runStatus = current?["deploymentRunStatus"]?.GetValue<string>();
            var runId = current?["deploymentRunId"]?.GetValue<string>();
            var gate = runStatus switch { "awaitingPlanApproval" => "approve-plan", "awaitingApplyApproval" => "approve-apply", _ => null };
            if (gate is not null && runId is not null && approved.Add((Guid.Parse(runId), gate)))
            {
                await Approve(Guid.Parse(runId), gate);
                continue;
            }
            await Task.Delay(150);
        }
        return "still active";
    }

    private async Task Approve(Guid runId, string gate)
    {
        var delay = kind.Phase == Phase.Approval ? Next(800, 2500) : Next(100, 900);
        await Task.Delay(delay);
        var answer = await ApiClient.Retry(() => api.Post($"/api/v1/deployment-runs/{runId}/{gate}"), TimeSpan.FromSeconds(90), CountServerError);
        // 409: it moved on meanwhile (an earlier attempt whose answer was lost, or it was failed or cancelled).
        if (!answer.Ok && answer.Status != HttpStatusCode.Conflict)
            Note($"{gate} of run {runId.ToString()[..8]} answered {answer.Code}: {answer.Text}");
    }

    /// <summary>A destroy of one deployment through both approvals (the destroying phase is what the fault waits for).</summary>
    private async Task DestroyThrough(Guid deploymentId)
    {
        var triggered = await ApiClient.Retry(() => api.Post($"/api/v1/deployments/{deploymentId}/runs", new { operation = "destroy" }),
            TimeSpan.FromSeconds(90), CountServerError);
        if (triggered.Status != HttpStatusCode.Accepted)
        {
            Note($"destroy of {deployments[deploymentId]} answered {triggered.Code}: {triggered.Text}");
            return;
        }
        var runId = triggered.Id;
        var until = DateTime.UtcNow + Deadline;
        var approved = new HashSet<string>();
        while (DateTime.UtcNow < until)
        {
            Answer run;
            try { run = await ApiClient.Retry(() => api.Get($"/api/v1/deployment-runs/{runId}"), TimeSpan.FromSeconds(30), CountServerError); }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException) { continue; }
            var status = run.Body?["status"]?.GetValue<string>();
            if (status is "destroyed" or "noChanges" or "failed" or "cancelled")
            {
                AddOutcome($"destroy {status}");
                return;
            }
            var gate = status switch { "awaitingPlanApproval" => "approve-plan", "awaitingApplyApproval" => "approve-apply", _ => null };
            if (gate is not null && approved.Add(gate)) { await Approve(runId, gate); continue; }
            await Task.Delay(150);
        }
        AddOutcome("destroy still active");
    }
}

/// <summary>What every trial shares: the cluster, the API client, the database, the fault injector, the project and environment.</summary>
public sealed class ChaosContext
{
    public required Cluster Cluster { get; init; }
    public required ApiClient Api { get; init; }
    public required Db Db { get; init; }
    public required FaultInjector Faults { get; init; }
    public required Guid ProjectId { get; init; }
    public required Guid EnvironmentId { get; init; }
    public required string RunTag { get; init; }
    public required bool Smoke { get; init; }
    public required HarnessServer Server { get; init; }
    public System.Collections.Concurrent.ConcurrentBag<string> ServerErrors { get; } = [];
}
