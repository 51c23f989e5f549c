namespace Amnify.Harness.Chaos;

/// <summary>
/// Proves the invariants are not vacuous before any trial runs: clean synthetic evidence passes, and each
/// planted fault (applied twice, applied unapproved, step started twice, lock held twice, state lost…) is caught.
/// </summary>
public static class SelfCheck
{
    public static (int Caught, int Planted, List<string> Missed) Run()
    {
        var missed = new List<string>();
        var clean = Invariants.Check(Healthy(), allFinal: true);
        if (clean.Count > 0) missed.Add($"clean evidence flagged: {string.Join(" | ", clean)}");

        var planted = new (string Expect, Action<Evidence> Plant)[]
        {
            ("applied twice", e => e.Records.Add(e.Records[0] with { At = "later" })),
            ("applied without both approvals", e => e.Runs[0].ApplyApprovedAt = null),
            ("applied without the apply being begun", e => e.Runs[0].ApplyStartedAt = null),
            ("applied a plan of another generation", e => e.Records[0] = e.Records[0] with { Generation = "g0" }),
            ("completed without applying", e => e.Records.RemoveAt(1)),
            ("step started twice", e => e.Runs.Add(Copy(e.Runs[1], "failed"))),
            ("lock held twice", e => { e.Runs.Add(Copy(e.Runs[0], "planning", inPipeline: false)); e.Runs.Add(Copy(e.Runs[0], "awaitingPlanApproval", inPipeline: false)); }),
            ("lock not released", e => e.Runs.Add(Copy(e.Runs[0], "queued", inPipeline: false))),
            ("stuck", e => e.PipelineRuns[0].Status = "running"),
            ("steps out of order", e => { e.Steps[0].Status = "failed"; e.Runs[0].Status = "failed"; e.PipelineRuns[0].Status = "failed"; }),
            ("is completed but its deployment run", e => e.Runs[1].Status = "cancelled"),
            ("state lost", e => e.States[e.Runs[1].DeploymentId] = new StateFinding(true, false, null)),
            ("state mismatch", e => e.States[e.Runs[1].DeploymentId] = new StateFinding(true, true, "g0")),
            ("state not destroyed", e => e.Runs.Add(Copy(e.Runs[0], "destroyed", inPipeline: false, operation: "destroy"))),
        };
        var caught = 0;
        foreach (var (expect, plant) in planted)
        {
            var evidence = Healthy();
            plant(evidence);
            var found = Invariants.Check(evidence, allFinal: true);
            if (found.Any(v => v.Contains(expect, StringComparison.Ordinal))) caught++;
            else missed.Add($"planted '{expect}' not caught (found: {(found.Count == 0 ? "nothing" : string.Join(" | ", found))})");
        }
        return (caught + (clean.Count == 0 ? 1 : 0), planted.Length + 1, missed);
    }

    private static RunRow Copy(RunRow r, string status, bool inPipeline = true, string? operation = null) => new()
    {
        Id = Guid.NewGuid(), DeploymentId = r.DeploymentId, Operation = operation ?? r.Operation, Status = status,
        PipelineRunId = inPipeline ? r.PipelineRunId : null, Generation = r.Generation, QueuedAt = r.QueuedAt.AddSeconds(30),
        PlanApprovedAt = r.PlanApprovedAt, ApplyApprovedAt = r.ApplyApprovedAt, ApplyStartedAt = r.ApplyStartedAt?.AddSeconds(30),
    };

    /// <summary>A pipeline run of two steps, both completed, each applied once with both approvals, state in place.</summary>
    private static Evidence Healthy()
    {
        var now = DateTime.UtcNow;
        var (a, b) = (Guid.NewGuid(), Guid.NewGuid());
        var pipelineRun = Guid.NewGuid();
        RunRow Run(Guid deployment, int i) => new()
        {
            Id = Guid.NewGuid(), DeploymentId = deployment, Operation = "execute", Status = "completed", PipelineRunId = pipelineRun,
            Generation = "g1", QueuedAt = now.AddSeconds(i), StartedAt = now.AddSeconds(i), PlanApprovedAt = now.AddSeconds(i + 1),
            ApplyApprovedAt = now.AddSeconds(i + 2), ApplyStartedAt = now.AddSeconds(i + 3), FinishedAt = now.AddSeconds(i + 4),
        };
        var runs = new List<RunRow> { Run(a, 0), Run(b, 10) };
        return new Evidence
        {
            Deployments = new() { [a] = "a", [b] = "b" },
            Runs = runs,
            PipelineRuns = [new PipelineRunRow { Id = pipelineRun, PipelineId = Guid.NewGuid(), Number = 1, Status = "completed" }],
            Steps =
            [
                new StepRow { PipelineRunId = pipelineRun, Position = 1, DeploymentId = a, Status = "completed", DeploymentRunId = runs[0].Id },
                new StepRow { PipelineRunId = pipelineRun, Position = 2, DeploymentId = b, Status = "completed", DeploymentRunId = runs[1].Id },
            ],
            Records =
            [
                new RecordLine("a", runs[0].Id, "g1", "t", $"a {runs[0].Id:N}/g1 t"),
                new RecordLine("b", runs[1].Id, "g1", "t", $"b {runs[1].Id:N}/g1 t"),
            ],
            States = new() { [a] = new StateFinding(true, true, "g1"), [b] = new StateFinding(true, true, "g1") },
        };
    }
}
