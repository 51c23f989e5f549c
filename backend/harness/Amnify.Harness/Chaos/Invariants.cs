namespace Amnify.Harness.Chaos;

/// <summary>
/// The promises a trial is judged by, each a pure check over the <see cref="Evidence"/> read after it.
/// Each answer is one violation, described with the ids and rows that show it.
/// </summary>
public static class Invariants
{
    private static readonly Dictionary<string, string> StepOfRun = new()
    {
        ["completed"] = "completed", ["destroyed"] = "completed", ["noChanges"] = "skipped", ["failed"] = "failed", ["cancelled"] = "cancelled",
    };

    public static List<string> Check(Evidence e, bool allFinal)
    {
        var violations = new List<string>();
        Final(e, violations);
        AppliedOnce(e, violations);
        Pipelines(e, violations);
        Locks(e, allFinal, violations);
        State(e, violations);
        return violations;
    }

    /// <summary>Every pipeline run and deployment run of the trial ended (the deadline passed otherwise).</summary>
    private static void Final(Evidence e, List<string> v)
    {
        foreach (var p in e.PipelineRuns.Where(p => !p.IsFinal))
        {
            var current = e.Steps.Where(s => s.PipelineRunId == p.Id && s.Status == "running").Select(s => e.Runs.FirstOrDefault(r => r.Id == s.DeploymentRunId)).FirstOrDefault();
            v.Add($"stuck: pipeline run {p.Id} (#{p.Number}) is still {p.Status} after the deadline" + (current is null ? " with no running step"
                : $"; its current step's run {current.Id} is {current.Status} (worker {current.WorkerId ?? "none"}, lease until {Evidence.Time(current.LeaseExpiresAt)}, attempt {current.Attempt})"));
        }
        foreach (var r in e.Runs.Where(r => !r.IsFinal && (r.PipelineRunId is null || e.PipelineRuns.All(p => p.Id != r.PipelineRunId || p.IsFinal))))
            v.Add($"stuck: deployment run {r.Id} of {e.Deployments[r.DeploymentId]} is still {r.Status} after the deadline (worker {r.WorkerId ?? "none"}, lease until {Evidence.Time(r.LeaseExpiresAt)}, attempt {r.Attempt})");
    }

    /// <summary>The record files against the runs: one apply per run at most, only of approved, begun applies of the run's own plan.</summary>
    private static void AppliedOnce(Evidence e, List<string> v)
    {
        var runs = e.Runs.ToDictionary(r => r.Id);
        foreach (var line in e.Records.Where(l => l.RunId is null))
            v.Add($"unattributable record line in {line.Deployment}.log: '{line.Raw}'");
        foreach (var group in e.Records.Where(l => l.RunId is not null).GroupBy(l => l.RunId!.Value))
        {
            if (!runs.TryGetValue(group.Key, out var run))
            {
                v.Add($"applied by an unknown run {group.Key}: '{group.First().Raw}'");
                continue;
            }
            var name = e.Deployments[run.DeploymentId];
            if (group.Count() > 1)
                v.Add($"applied twice: run {run.Id} of {name} ({run.Status}) has {group.Count()} record lines: {string.Join(" | ", group.Select(l => l.Raw))}");
            if (group.Any(l => l.Deployment != name))
                v.Add($"record of run {run.Id} in the file of another deployment: '{group.First().Raw}' (run belongs to {name})");
            if (run.PlanApprovedAt is null || run.ApplyApprovedAt is null)
                v.Add($"applied without both approvals: run {run.Id} of {name} ({run.Status}) has plan_approved_at={Evidence.Time(run.PlanApprovedAt)}, apply_approved_at={Evidence.Time(run.ApplyApprovedAt)}; record '{group.First().Raw}'");
            if (run.ApplyStartedAt is null)
                v.Add($"applied without the apply being begun: run {run.Id} of {name} ({run.Status}) has apply_started_at NULL; record '{group.First().Raw}'");
            if (run.Operation != "execute")
                v.Add($"a {run.Operation} run recorded a create: run {run.Id} of {name}; record '{group.First().Raw}'");
            if (group.Any(l => l.Generation != run.Generation))
                v.Add($"applied a plan of another generation: run {run.Id} of {name} snapshotted generation {run.Generation}; record '{group.First().Raw}'");
        }
        var recorded = e.Records.Where(l => l.RunId is not null).Select(l => l.RunId!.Value).ToHashSet();
        foreach (var run in e.Runs.Where(r => r.Status == "completed" && r.Operation == "execute" && !recorded.Contains(r.Id)))
            v.Add($"completed without applying: run {run.Id} of {e.Deployments[run.DeploymentId]} is completed but its plan's create left no record line");
    }

    /// <summary>Steps neither lost nor started twice, in order, and consistent with their runs and their pipeline run.</summary>
    private static void Pipelines(Evidence e, List<string> v)
    {
        var runs = e.Runs.ToDictionary(r => r.Id);
        foreach (var p in e.PipelineRuns)
        {
            var label = $"pipeline run {p.Id} (#{p.Number}, {p.Status})";
            var steps = e.Steps.Where(s => s.PipelineRunId == p.Id).OrderBy(s => s.Position).ToList();
            var runsOfP = e.Runs.Where(r => r.PipelineRunId == p.Id).ToList();
            if (steps.Count == 0) v.Add($"{label} has no steps");

            foreach (var twice in runsOfP.GroupBy(r => r.DeploymentId).Where(g => g.Count() > 1))
                v.Add($"step started twice: {label} has {twice.Count()} deployment runs of {e.Deployments[twice.Key]}: {string.Join(", ", twice.Select(r => $"{r.Id} ({r.Status})"))}");
            foreach (var orphan in runsOfP.Where(r => steps.All(s => s.DeploymentRunId != r.Id)))
                v.Add($"step lost: deployment run {orphan.Id} ({orphan.Status}) of {e.Deployments[orphan.DeploymentId]} belongs to {label} but no step points to it");

            foreach (var s in steps)
            {
                var at = $"{label} step {s.Position} ({e.Deployments.GetValueOrDefault(s.DeploymentId, s.DeploymentId.ToString())})";
                if (s.DeploymentRunId is null)
                {
                    if (s.Status is not ("pending" or "notRun")) v.Add($"{at} is {s.Status} without a deployment run");
                    continue;
                }
                if (!runs.TryGetValue(s.DeploymentRunId.Value, out var run))
                {
                    v.Add($"{at} points to a deployment run {s.DeploymentRunId} that does not exist");
                    continue;
                }
                if (run.DeploymentId != s.DeploymentId) v.Add($"{at} points to run {run.Id} of another deployment");
                if (run.PipelineRunId != p.Id) v.Add($"{at} points to run {run.Id} of another pipeline run ({run.PipelineRunId})");
                var expected = run.IsFinal ? StepOfRun[run.Status] : "running";
                if (s.Status != expected) v.Add($"{at} is {s.Status} but its deployment run {run.Id} is {run.Status} (expected step {expected})");
            }

            var statuses = steps.Select(s => s.Status).ToList();
            var firstOpen = statuses.FindIndex(s => s is not ("completed" or "skipped"));
            if (firstOpen >= 0)
            {
                var head = statuses[firstOpen];
                var rest = statuses.Skip(firstOpen + 1).ToList();
                var allowedAfter = head switch { "running" or "pending" => "pending", _ => "notRun" };
                if (rest.Any(s => s != allowedAfter))
                    v.Add($"{label}: steps out of order: [{string.Join(", ", statuses)}] (after a {head} step every later step must be {allowedAfter})");
            }

            var consistent = p.Status switch
            {
                "completed" => statuses.All(s => s is "completed" or "skipped"),
                "failed" => statuses.Contains("failed") || (firstOpen > 0 && statuses[firstOpen] == "notRun"),
                "cancelled" => statuses.Contains("cancelled") || (statuses.Count > 0 && statuses.All(s => s == "notRun")),
                _ => statuses.Count(s => s == "running") == 1 || (p.Status == "queued" && statuses.All(s => s == "pending")),
            };
            if (!consistent) v.Add($"{label} does not match its steps [{string.Join(", ", statuses)}]");
            if (p.IsFinal && statuses.Any(s => s is "running" or "pending"))
                v.Add($"{label} is final but has steps [{string.Join(", ", statuses)}]");
        }
    }

    /// <summary>At most one run holds a deployment's lock; once all is final, none does and no finished run keeps a worker or lease.</summary>
    private static void Locks(Evidence e, bool allFinal, List<string> v)
    {
        foreach (var g in e.Runs.Where(r => r.HoldsLock).GroupBy(r => r.DeploymentId).Where(g => g.Count() > 1))
            v.Add($"lock held twice: deployment {e.Deployments[g.Key]} has runs {string.Join(", ", g.Select(r => $"{r.Id} ({r.Status})"))}");
        if (allFinal)
            foreach (var r in e.Runs.Where(r => !r.IsFinal))
                v.Add($"lock not released: run {r.Id} of {e.Deployments[r.DeploymentId]} is {r.Status} though the trial is over");
        foreach (var r in e.Runs.Where(r => r.IsFinal && (r.WorkerId is not null || r.LeaseExpiresAt is not null)))
            v.Add($"finished run {r.Id} ({r.Status}) still names worker {r.WorkerId} / lease {Evidence.Time(r.LeaseExpiresAt)}");
    }

    /// <summary>
    /// Terraform state against the run records: the last run that changed the deployment decides. A completed
    /// execute leaves the resource at that run's generation; a destroy leaves none. Runs that did not begin an
    /// apply (noChanges, cancelled, failed before applying) never touch the state and are looked through; a run
    /// that failed during its apply leaves the state undetermined.
    /// </summary>
    private static void State(Evidence e, List<string> v)
    {
        foreach (var (deploymentId, name) in e.Deployments)
        {
            var decisive = e.Runs.Where(r => r.DeploymentId == deploymentId && r.IsFinal && r.Status is not ("noChanges" or "cancelled"))
                .Where(r => !(r.Status == "failed" && r.ApplyStartedAt is null))
                .OrderBy(r => r.QueuedAt).ThenBy(r => r.Id).LastOrDefault();
            if (decisive is null || decisive.Status == "failed") continue;
            var state = e.States[deploymentId];
            if (decisive.Status == "completed" && decisive.Operation == "execute")
            {
                if (!state.HasResource)
                    v.Add($"state lost: {name}'s last change, run {decisive.Id}, completed, but schema tfstate_{deploymentId:N} has {(state.SchemaExists ? "no terraform_data resource" : "no states table")}");
                else if (state.Generation != decisive.Generation)
                    v.Add($"state mismatch: {name}'s last change, run {decisive.Id}, applied generation {decisive.Generation}, but the state holds generation {state.Generation}");
            }
            else if (decisive.Status == "destroyed" && state.HasResource)
            {
                v.Add($"state not destroyed: {name}'s last change, run {decisive.Id}, is destroyed, but tfstate_{deploymentId:N} still holds the terraform_data resource (generation {state.Generation})");
            }
        }
    }
}
