namespace Amnify.Harness.Bench;

/// <summary>How big each benchmark is: the full run of `make bench`, or the tiny one of `make bench-smoke`.</summary>
public sealed record BenchSizes
{
    public required string Mode { get; init; }
    /// <summary>Steps of the orchestration pipeline (and bare Terraform sequences of its baseline).</summary>
    public required int PipelineSteps { get; init; }
    /// <summary>Pipelines run at once in the concurrency benchmark, and the steps of each.</summary>
    public required int ConcurrentPipelines { get; init; }
    public required int StepsPerConcurrentPipeline { get; init; }
    public required TimeSpan Warmup { get; init; }
    public required TimeSpan LoadDuration { get; init; }
    public required int[] Connections { get; init; }
    public required int ScaleConnections { get; init; }
    public required SeedSizes Seed { get; init; }
    /// <summary>Samples of the browser's run-view latency.</summary>
    public required int SpaSamples { get; init; }
    public required TimeSpan RunTimeout { get; init; }
    public required EngineSizes Engine { get; init; }

    public static readonly BenchSizes Full = new()
    {
        Mode = "full",
        PipelineSteps = 20,
        ConcurrentPipelines = 10,
        StepsPerConcurrentPipeline = 3,
        Warmup = TimeSpan.FromSeconds(1),
        LoadDuration = TimeSpan.FromSeconds(5),
        Connections = [1, 16, 64],
        ScaleConnections = 16,
        Seed = new SeedSizes(Pipelines: 10_000, StepsPerPipeline: 3, RunsPerPipeline: 10, Deployments: 100_000, RunsPerDeployment: 10, LinesPerRun: 10),
        SpaSamples = 10,
        RunTimeout = TimeSpan.FromMinutes(10),
        Engine = new EngineSizes
        {
            Levels = [100, 1_000, 5_000], Workers = [1, 2, 4, 8], Warmup = TimeSpan.FromSeconds(5), Window = TimeSpan.FromSeconds(6), SampleEvery = TimeSpan.FromMilliseconds(500),
            SettleTimeout = TimeSpan.FromSeconds(45), PacedRate = 55, ConcurrencyPerWorker = 16, Sandbox = "none",
        },
    };

    public static readonly BenchSizes Smoke = new()
    {
        Mode = "smoke",
        PipelineSteps = 2,
        ConcurrentPipelines = 2,
        StepsPerConcurrentPipeline = 1,
        Warmup = TimeSpan.FromMilliseconds(100),
        LoadDuration = TimeSpan.FromMilliseconds(300),
        Connections = [1, 8],
        ScaleConnections = 8,
        Seed = new SeedSizes(Pipelines: 30, StepsPerPipeline: 3, RunsPerPipeline: 2, Deployments: 300, RunsPerDeployment: 3, LinesPerRun: 5),
        SpaSamples = 1,
        RunTimeout = TimeSpan.FromMinutes(2),
        Engine = new EngineSizes
        {
            Levels = [4], Workers = [1, 2], Warmup = TimeSpan.FromSeconds(0.5), Window = TimeSpan.FromSeconds(1.5), SampleEvery = TimeSpan.FromMilliseconds(250),
            SettleTimeout = TimeSpan.FromSeconds(60), PacedRate = 10, ConcurrencyPerWorker = 4, Sandbox = "none",
        },
    };
}

/// <summary>Rows the scale benchmark adds with COPY.</summary>
public sealed record SeedSizes(int Pipelines, int StepsPerPipeline, int RunsPerPipeline, int Deployments, int RunsPerDeployment, int LinesPerRun)
{
    public long DeploymentRuns => (long)Deployments * RunsPerDeployment;
    public long LogLines => DeploymentRuns * LinesPerRun;
    public long PipelineRuns => (long)Pipelines * RunsPerPipeline;
}

/// <summary>The engine-capacity benchmark: runs in flight × worker processes, and each window's length.</summary>
public sealed record EngineSizes
{
    public required int[] Levels { get; init; }
    public required int[] Workers { get; init; }
    /// <summary>How long the approvals flow before a window is measured, so it measures the runs flowing rather than the gate emptying.</summary>
    public required TimeSpan Warmup { get; init; }
    public required TimeSpan Window { get; init; }
    public required TimeSpan SampleEvery { get; init; }
    /// <summary>How long to wait for every run in flight to reach the plan gate before a window.</summary>
    public required TimeSpan SettleTimeout { get; init; }
    /// <summary>Plan approvals per second in the paced window: a tenth above the target rate, so keeping up shows as reaching it.</summary>
    public required double PacedRate { get; init; }
    public required int ConcurrencyPerWorker { get; init; }
    public required string Sandbox { get; init; }
}
