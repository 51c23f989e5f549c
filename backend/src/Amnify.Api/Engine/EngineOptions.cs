namespace Amnify.Api.Engine;

/// <summary>The engine's settings (section <c>Engine</c>).</summary>
public sealed class EngineOptions
{
    /// <summary>all (API + worker in one process, the default), api (no worker) or worker (no API).</summary>
    public string Role { get; set; } = "all";
    /// <summary>Runs one worker process works on at once.</summary>
    public int Concurrency { get; set; } = 4;
    public int LeaseSeconds { get; set; } = 30;
    /// <summary>How often an idle worker looks for work when no NOTIFY arrives (a fallback only).</summary>
    public int PollSeconds { get; set; } = 5;
    public int MaxAttempts { get; set; } = 3;
    public string? WorkDir { get; set; }
    /// <summary>
    /// Where and as whom Terraform keeps state (pg backend): a least-privilege role the admins created. Unset, the
    /// engine uses the API's own database with a role it creates and manages itself (see <see cref="StateRole"/>).
    /// </summary>
    public string? StateConnectionString { get; set; }
    /// <summary>auto (bubblewrap where it works, else none with a warning), bubblewrap (required) or none.</summary>
    public Terraform.SandboxMode Sandbox { get; set; } = Terraform.SandboxMode.Auto;
    public int InitTimeoutSeconds { get; set; } = 600;
    public int PlanTimeoutSeconds { get; set; } = 1800;
    public int ApplyTimeoutSeconds { get; set; } = 7200;
    /// <summary>
    /// How long Terraform waits for a state lock. The pg backend's workspace-creation lock is one per
    /// database, so the first plans of new deployments running at once queue on it instead of failing.
    /// </summary>
    public int StateLockTimeoutSeconds { get; set; } = 300;
}
