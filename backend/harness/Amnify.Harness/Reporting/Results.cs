using Amnify.Harness.Bench;

namespace Amnify.Harness.Reporting;

public sealed record Machine(int Cpus, double MemoryGb, string CpuModel, string Os, string Dotnet, string Terraform, string Postgres);

/// <summary>Means of each phase of a pipeline's deployment runs, read from deployment_runs (ms).</summary>
public sealed record PhaseBreakdown(double Dispatch, double InitAndPlan, double PlanApprovalWait, double ApplyApprovalWait, double ApplyPickup, double Apply);

public sealed record OrchestrationResult
{
    public required int Steps { get; init; }
    public required double BareTotalMs { get; init; }
    public required double BareInitMs { get; init; }
    public required double BarePlanMs { get; init; }
    public required double BareApplyMs { get; init; }
    public required double PipelineWallMs { get; init; }
    /// <summary>pipeline_runs.created_at → finished_at.</summary>
    public required double PipelineDbMs { get; init; }
    public required double Ratio { get; init; }
    /// <summary>Previous step's deployment run finished_at → next deployment run started_at.</summary>
    public required Percentiles DispatchMs { get; init; }
    /// <summary>A deployment run's apply approved → its apply started (apply_approved_at → apply_started_at).</summary>
    public required Percentiles ApplyPickupMs { get; init; }
    /// <summary>POST …/runs → the first awaitingPlanApproval seen through the SSE stream.</summary>
    public required double TriggerToFirstPlanMs { get; init; }
    /// <summary>pipeline_runs.created_at → first deployment run planned_at.</summary>
    public required double TriggerToFirstPlanDbMs { get; init; }
    /// <summary>The bare equivalent: the first sequence's init + plan.</summary>
    public required double BareFirstPlanMs { get; init; }
    public required PhaseBreakdown Phases { get; init; }
    public required int Approvals { get; init; }
    public required int SseEvents { get; init; }
    /// <summary>The engine's own CLI calls for one run, without the engine (means over a few sequences), to split the gap.</summary>
    public required Infra.EngineCliSequence EngineCliMeans { get; init; }
    public required int EngineCliSamples { get; init; }
    /// <summary>Steps that started at plan in a directory prepared (init run) while the step before waited or applied.</summary>
    public required int PreparedSteps { get; init; }
}

public sealed record ConcurrencyRound
{
    /// <summary>"first deploy" (new deployments) or "update" (deployed ones, a variable changed).</summary>
    public required string Kind { get; init; }
    public required int Workers { get; init; }
    public required int Pipelines { get; init; }
    public required int StepsEach { get; init; }
    public required int RunsCompleted { get; init; }
    /// <summary>Deployment runs that failed, and pipeline runs that did not complete (a failed step stops its pipeline).</summary>
    public required int RunsFailed { get; init; }
    public required int PipelinesNotCompleted { get; init; }
    public string? FirstError { get; init; }
    public required double WallSeconds { get; init; }
    public required double RunsPerMinute { get; init; }
    public required Percentiles DispatchMs { get; init; }
    /// <summary>Each pipeline run's trigger → its first step's plan ready (pipeline_runs.created_at → planned_at).</summary>
    public required List<double> TriggerToFirstPlanMs { get; init; }
    /// <summary>How many plan and apply phases each worker process did.</summary>
    public required Dictionary<string, int> PhasesByWorker { get; init; }
}

/// <summary>One endpoint at one connection count; no baseline for trigger + cancel (the baseline app serves reads only).</summary>
public sealed record ThroughputRow(string Endpoint, int Connections, LoadResult Api, LoadResult? Baseline, LoadResult? BaselineWithAuth)
{
    public double Ratio => Baseline is { RequestsPerSecond: > 0 } b ? Api.RequestsPerSecond / b.RequestsPerSecond : double.NaN;
    /// <summary>API ÷ the baseline that also runs the product's two bearer-token queries.</summary>
    public double? RatioWithAuth => BaselineWithAuth is { RequestsPerSecond: > 0 } b ? Api.RequestsPerSecond / b.RequestsPerSecond : null;
}

public sealed record ThroughputResult(List<ThroughputRow> Rows, Dictionary<string, bool> SameJson, List<string> JsonDifferences);

public sealed record ScaleRow(string Endpoint, LoadResult Empty, LoadResult Seeded)
{
    public double P95Ratio => Seeded.LatencyMs.P95 / Empty.LatencyMs.P95;
}

public sealed record ExplainedQuery(string Name, string State, double ExecutionMs, string[] SeqScans, string Plan)
{
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public string? Sql { get; init; }
}

public sealed record ScaleResult
{
    public required SeedSizes Sizes { get; init; }
    public required double SeedSeconds { get; init; }
    /// <summary>VACUUM (ANALYZE) + CHECKPOINT before each state's measurement, so both start quiet.</summary>
    public required double VacuumEmptySeconds { get; init; }
    public required double VacuumSeededSeconds { get; init; }
    public required Dictionary<string, long> RowCounts { get; init; }
    public required Dictionary<string, string> TableSizes { get; init; }
    public required List<ScaleRow> Rows { get; init; }
    /// <summary>The bare app's /readyz (no database) in both states: how much the machine itself moved between them.</summary>
    public required ScaleRow MachineReference { get; init; }
    public required List<ExplainedQuery> Explains { get; init; }
    public required string ExplainFile { get; init; }
}

public sealed record SpaChunk(string File, long Bytes, long GzipBytes, bool FirstLoad);

public sealed record SpaLatency(int Samples, Percentiles FromRequestMs, Percentiles FromAnswerMs);

public sealed record SpaResult(List<SpaChunk> Chunks, long FirstLoadGzipBytes, long TotalGzipBytes)
{
    public SpaLatency? RunView { get; set; }
    public string? RunViewSkipped { get; set; }
}

/// <summary>One window of the engine-capacity benchmark.</summary>
public sealed record EngineRow
{
    public required int InFlight { get; init; }
    public required int Workers { get; init; }
    /// <summary>paced (plan approvals at the target rate) or unpaced (every gate at once: the ceiling).</summary>
    public required string Mode { get; init; }
    /// <summary>Whether every run reached the plan gate before the window (false: a backlog was still draining).</summary>
    public required bool Settled { get; init; }
    public required double Seconds { get; init; }
    public required long RunsCompleted { get; init; }
    public required int RunsFailed { get; init; }
    public required double RunsPerSecond { get; init; }
    public required double ClaimsPerSecond { get; init; }
    /// <summary>Claimable → claimed (plan and apply claims).</summary>
    public required Percentiles DispatchMs { get; init; }
    /// <summary>Means over the runs completed in the window: queued → claimed, claimed → planned (init, plan, show), the two approval waits, apply pick-up, apply.</summary>
    public required PhaseBreakdown PhasesMs { get; init; }
    public required double InFlightMean { get; init; }
    public required double DbCpuCores { get; init; }
    public required double WorkersCpuCores { get; init; }
    public required double ApiCpuCores { get; init; }
    public required double DbCpuMsPerRun { get; init; }
    public required double WorkersCpuMsPerRun { get; init; }
    public required double ApiCpuMsPerRun { get; init; }
    public required double MachineBusyPercent { get; init; }
    public required double LockWaitsMean { get; init; }
    public required double LwLockWaitsMean { get; init; }
    public required double ActiveBackendsMean { get; init; }
    public required double UngrantedLocksMean { get; init; }
    public required int UngrantedLocksMax { get; init; }
    /// <summary>What the API and workers executed, per completed run (pg_stat_statements), most called first.</summary>
    public required List<StatementCost> Statements { get; init; }
    /// <summary>Top-level statements per completed run (nested ones, in triggers, not counted).</summary>
    public required double StatementsPerRun { get; init; }
    /// <summary>Backends waiting, by what they wait on, mean per sample.</summary>
    public required List<WaitCount> Waits { get; init; }
}

/// <summary>One statement (normalised by pg_stat_statements) per completed run; nested: run inside a trigger or function.</summary>
public sealed record StatementCost(string Kind, string Text, bool TopLevel, double CallsPerRun, double ExecMsPerRun);

/// <summary>A lock type, mode and relation (or LWLock) and how many backends waited on it, mean per sample.</summary>
public sealed record WaitCount(string On, double MeanWaiting);

public sealed record EngineResult
{
    public required string Sandbox { get; init; }
    public required int ConcurrencyPerWorker { get; init; }
    public required double PacedRate { get; init; }
    /// <summary>Seconds the approvals flowed before each window was measured.</summary>
    public required double WarmupSeconds { get; init; }
    public List<EngineRow> Rows { get; } = [];
    public int Failures { get; set; }
    public string? FirstError { get; set; }
}

public sealed record ProcessMemory(string Process, double PeakRssMb);

public sealed record TargetCheck(string Name, string Target, string Value, bool? Met);

public sealed record BenchOutcome(string Name, bool Ran, double Seconds, string? Error, string? LoadAverage = null);

public sealed class BenchReport
{
    public required string StartedAtUtc { get; init; }
    public required string Mode { get; init; }
    public required Machine Machine { get; set; }
    public OrchestrationResult? Orchestration { get; set; }
    public List<ConcurrencyRound> Concurrency { get; } = [];
    public ThroughputResult? Throughput { get; set; }
    public ScaleResult? Scale { get; set; }
    public SpaResult? Spa { get; set; }
    public EngineResult? Engine { get; set; }
    public List<ProcessMemory> Memory { get; } = [];
    public List<BenchOutcome> Outcomes { get; } = [];
    public List<TargetCheck> Targets { get; } = [];
    public List<string> Notes { get; } = [];
    public double TotalSeconds { get; set; }
}
