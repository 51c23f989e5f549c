using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Amnify.Api.Features.CloudEnvironments;
using Amnify.Api.Secrets;
using Amnify.Api.Terraform;
using Dapper;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Amnify.Api.Engine;

/// <summary>
/// Does one claimed phase of a run with the real Terraform CLI, in as few calls as Terraform allows: init, plan
/// (its own output is the readable plan) and one <c>show -json</c> (the summary and the structured plan), the plan
/// file sealed and stored; then apply of exactly the approved plan file, in the plan's directory when this process
/// planned the run (no second init), the outputs read from the state the apply wrote. While a pipeline step waits for
/// approval or applies, the next step's directory is prepared (files written, <c>init</c> run, never its variables,
/// which may come from this step's outputs), so that step starts at <c>plan</c> when this process claims it.
/// Every state change goes through <see cref="RunTransitions"/>; a transition refused (the run was cancelled
/// meanwhile) ends the work.
/// </summary>
public sealed class RunExecutor(
    NpgsqlDataSource dataSource, RunTransitions transitions, TerraformCli terraform, SecretBox secrets,
    StateRole stateRole, PlanDirectories planDirectories, IOptions<EngineOptions> options, ILogger<RunExecutor> log)
{
    private const string LoadWork = """
        SELECT r.id, r.deployment_id, r.operation, r.variables::text AS variables_json, r.sensitive_encrypted,
               r.cloud_environment_id, e.credentials_encrypted, r.plan_encrypted, r.approved_plan_sha256,
               r.template_version_id, r.pipeline_run_id, v.files::text AS files_json,
               ARRAY(SELECT x->>'name' FROM jsonb_array_elements(v.variables) x WHERE (x->>'sensitive')::boolean) AS sensitive_variables
        FROM deployment_runs r
        JOIN template_versions v ON v.id = r.template_version_id
        JOIN cloud_environments e ON e.id = r.cloud_environment_id
        WHERE r.id = @Id
        """;

    private sealed record Work
    {
        public required Guid Id { get; init; }
        public required Guid DeploymentId { get; init; }
        public required RunOperation Operation { get; init; }
        public required string VariablesJson { get; init; }
        public byte[]? SensitiveEncrypted { get; init; }
        public required Guid CloudEnvironmentId { get; init; }
        public byte[]? CredentialsEncrypted { get; init; }
        public byte[]? PlanEncrypted { get; init; }
        public string? ApprovedPlanSha256 { get; init; }
        public required Guid TemplateVersionId { get; init; }
        public Guid? PipelineRunId { get; init; }
        public required string FilesJson { get; init; }
        /// <summary>The variables the run's template.json calls sensitive.</summary>
        public required string[] SensitiveVariables { get; init; }
    }

    // The step after this run's in its pipeline run, as its deployment run will be snapshotted (RunQueue): the deployment's
    // template's current version and its cloud environment. A destroy passes over a step with nothing to destroy.
    private const string LoadNextStep = $"""
        SELECT n.deployment_id, t.current_version_id AS template_version_id, d.cloud_environment_id, e.credentials_encrypted,
               v.files::text AS files_json,
               ARRAY(SELECT x->>'name' FROM jsonb_array_elements(v.variables) x WHERE (x->>'sensitive')::boolean) AS sensitive_variables
        FROM pipeline_run_steps c
        JOIN pipeline_runs p ON p.id = c.pipeline_run_id AND p.status IN ({RunStatuses.Sql.PipelineActive})
        CROSS JOIN LATERAL (
            SELECT s.deployment_id FROM pipeline_run_steps s
            JOIN deployments sd ON sd.id = s.deployment_id
            WHERE s.pipeline_run_id = c.pipeline_run_id AND s.position > c.position AND s.status = 'pending'
              AND (p.operation = 'execute' OR sd.has_infrastructure)
            ORDER BY s.position LIMIT 1) n
        JOIN deployments d ON d.id = n.deployment_id
        JOIN templates t ON t.id = d.template_id
        JOIN template_versions v ON v.id = t.current_version_id
        JOIN cloud_environments e ON e.id = d.cloud_environment_id
        WHERE c.deployment_run_id = @Id AND c.pipeline_run_id = @PipelineRunId
        """;

    private sealed record NextStep
    {
        public required Guid DeploymentId { get; init; }
        public required Guid TemplateVersionId { get; init; }
        public required Guid CloudEnvironmentId { get; init; }
        public byte[]? CredentialsEncrypted { get; init; }
        public required string FilesJson { get; init; }
        public required string[] SensitiveVariables { get; init; }
    }

    private const string PreparedLine = "Prepared while the previous step ran: already initialised.";

    private EngineOptions Options => options.Value;

    private string LockTimeout => $"-lock-timeout={Options.StateLockTimeoutSeconds}s";

    private string[] InitArgs => ["init", "-input=false", "-no-color", LockTimeout];

    public async Task Plan(Guid runId, string workerId, CancellationToken cancellationToken)
    {
        var work = await Load(runId, cancellationToken);
        // The directory prepared while the previous step ran, if this process made it for exactly this run's inputs.
        var prepared = work.PipelineRunId is { } pipelineRunId
            ? await planDirectories.TakePrepared(new PreparedFor(pipelineRunId, work.DeploymentId, work.TemplateVersionId, work.CloudEnvironmentId), cancellationToken)
            : null;
        if (prepared is null) await stateRole.PrepareSchema(work.DeploymentId, cancellationToken);
        // A prepared directory takes this run's name: a run's directory is always named after the run that works in it.
        var dir = prepared is null ? NewDirectory(work.Id) : Renamed(prepared.Dir, work.Id);
        var (environment, redactor) = Prepare(work, dir, writeTemplate: prepared is null, writeVariables: true);
        await using var runLog = new RunLog(dataSource, runId, redactor);
        using var pumpStop = new CancellationTokenSource();
        var pump = runLog.Pump(pumpStop.Token);
        var kept = false;
        try
        {
            runLog.Write($"Run {runId} ({work.Operation.Code()}), attempt on worker {workerId}");
            if (prepared is not null)
            {
                runLog.Write(PreparedLine);
                foreach (var line in prepared.InitLog) runLog.WriteTerraform(line);
            }
            else if (!await Terraform(runLog, dir, environment, InitArgs, Options.InitTimeoutSeconds, cancellationToken))
            {
                await Fail(runId, workerId, runLog, "terraform init failed.");
                return;
            }
            if (!await Transition(runId, RunTrigger.StartPlanning, (c, t) => transitions.StartPlanning(c, t, new RunTransitions.Owned(runId, workerId)))) return;

            string[] planArgs = ["plan", "-input=false", "-no-color", "-detailed-exitcode", LockTimeout, "-out=plan.tfplan"];
            if (work.Operation == RunOperation.Destroy) planArgs = [.. planArgs, "-destroy"];
            // The plan's own output is the readable plan: no second `terraform show` is needed for it.
            var planOutput = new List<string>();
            var planExit = await RunTerraform(runLog, dir, environment, planArgs, Options.PlanTimeoutSeconds, cancellationToken, planOutput.Add);
            // Terraform refuses outputs derived from variables only template.json called sensitive: mark them and plan again.
            while (planExit == 1 && SensitiveOverride.MarkRefusedOutputs(dir, planOutput) is { Length: > 0 } marked)
            {
                runLog.Write($"Outputs {string.Join(", ", marked)} hold sensitive values: marked sensitive, planning again.");
                runLog.ClearRecent();
                planOutput.Clear();
                planExit = await RunTerraform(runLog, dir, environment, planArgs, Options.PlanTimeoutSeconds, cancellationToken, planOutput.Add);
            }
            if (planExit is not (0 or 2))
            {
                await Fail(runId, workerId, runLog, "terraform plan failed.");
                return;
            }

            // The one machine-readable read of the plan: the summary and the structured plan both come from it.
            var showJson = await Capture(dir, environment, ["show", "-json", "plan.tfplan"], cancellationToken);
            var summary = redactor.Redact(PlanParser.Parse(showJson));
            var structured = JsonSerializer.Serialize(StructuredPlan.Read(showJson, redactor), JsonSerializerOptions.Web);
            var planText = runLog.Redact(string.Join('\n', planOutput));
            var summaryJson = JsonSerializer.Serialize(summary, JsonSerializerOptions.Web);
            if (planExit == 0)
            {
                runLog.Write("No changes: the infrastructure matches the configuration.");
                await runLog.Flush();
                await Transition(runId, RunTrigger.PlanShowsNoChanges,
                    (c, t) => transitions.PlanShowsNoChanges(c, t, new RunTransitions.NoChangesPlan(runId, workerId, summaryJson, planText, structured)));
                return;
            }
            var plan = await File.ReadAllBytesAsync(Path.Combine(dir, "plan.tfplan"), cancellationToken);
            runLog.Write($"Plan: {summary.Add} to add, {summary.Change} to change, {summary.Destroy} to destroy, {summary.Replace} to replace. Waiting for plan approval.");
            await runLog.Flush();
            var changes = new RunTransitions.ChangesPlan(runId, workerId, summaryJson, planText, structured,
                PlanEncrypted: secrets.Seal(plan, runId), PlanSha256: Convert.ToHexStringLower(SHA256.HashData(plan)));
            if (await Transition(runId, RunTrigger.PlanShowsChanges, (c, t) => transitions.PlanShowsChanges(c, t, changes)))
            {
                planDirectories.Keep(runId, dir);
                kept = true;
                if (work.PipelineRunId is { } pipelineRun)
                    planDirectories.Prepare(pipelineRun, stop => PrepareNextStep(runId, pipelineRun, stop));
            }
        }
        finally
        {
            pumpStop.Cancel();
            await pump;
            if (!kept) PlanDirectories.Delete(dir);
        }
    }

    public async Task Apply(Guid runId, string workerId, CancellationToken cancellationToken)
    {
        var work = await Load(runId, cancellationToken);
        // The plan's own directory, initialised, when this process made the plan; else a fresh one and init.
        var planned = planDirectories.Take(runId);
        if (planned is null) await stateRole.PrepareSchema(work.DeploymentId, cancellationToken);
        var dir = planned ?? NewDirectory(work.Id);
        var (environment, redactor) = Prepare(work, dir, writeTemplate: planned is null, writeVariables: planned is null);
        await using var runLog = new RunLog(dataSource, runId, redactor);
        using var pumpStop = new CancellationTokenSource();
        var pump = runLog.Pump(pumpStop.Token);
        try
        {
            var plan = work.PlanEncrypted is null ? null : secrets.OpenBytes(work.PlanEncrypted, runId);
            if (plan is null || Convert.ToHexStringLower(SHA256.HashData(plan)) != work.ApprovedPlanSha256)
            {
                await Fail(runId, workerId, runLog, "The stored plan does not match the approved plan; nothing was applied.");
                return;
            }
            await File.WriteAllBytesAsync(Path.Combine(dir, "plan.tfplan"), plan, cancellationToken);
            runLog.Write($"Applying the approved plan (sha256 {work.ApprovedPlanSha256![..12]}…) on worker {workerId}");
            if (planned is not null) runLog.Write("In the plan's own directory: already initialised.");
            else if (!await Terraform(runLog, dir, environment, InitArgs, Options.InitTimeoutSeconds, cancellationToken))
            {
                await Fail(runId, workerId, runLog, "terraform init failed; nothing was applied.");
                return;
            }
            if (!await Terraform(runLog, dir, environment, ["apply", "-input=false", "-no-color", LockTimeout, "plan.tfplan"], Options.ApplyTimeoutSeconds, cancellationToken))
            {
                await Fail(runId, workerId, runLog, "terraform apply failed.");
                return;
            }
            if (work.Operation == RunOperation.Destroy)
            {
                await runLog.Flush();
                await Transition(runId, RunTrigger.FinishDestroy, (c, t) => transitions.FinishDestroy(c, t, new RunTransitions.Owned(runId, workerId)));
                return;
            }
            // The outputs as the apply wrote them to its state; `terraform output -json` only if that cannot be read.
            var outputJson = await stateRole.ReadOutputsJson(work.DeploymentId, cancellationToken)
                ?? await Capture(dir, environment, ["output", "-json"], cancellationToken);
            var outputs = OutputMasking.Mask(outputJson, redactor);
            await runLog.Flush();
            await Transition(runId, RunTrigger.FinishApply, (c, t) => transitions.FinishApply(c, t, new RunTransitions.Applied(runId, workerId, outputs)));
        }
        finally
        {
            pumpStop.Cancel();
            await pump;
            PlanDirectories.Delete(dir);
        }
    }

    private async Task<Work> Load(Guid runId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.QuerySingleAsync<Work>(new CommandDefinition(LoadWork, new { Id = runId }, cancellationToken: cancellationToken));
    }

    /// <summary>
    /// The next step's directory, made while this run waits: the step's template version and backend written, the state
    /// schema ready and <c>init</c> run in the same sandbox with the same environment as the step's own init would be
    /// (its cloud environment's credentials, the state role). No variables: they are written when the step plans, and a
    /// wired one comes from this step's outputs. Init never changes state. Null (nothing left on disk) if there is no such
    /// step or init failed: the step then inits as usual.
    /// </summary>
    private async Task<PreparedDirectory?> PrepareNextStep(Guid runId, Guid pipelineRunId, CancellationToken cancellationToken)
    {
        NextStep? next;
        await using (var connection = await dataSource.OpenConnectionAsync(cancellationToken))
            next = await connection.QuerySingleOrDefaultAsync<NextStep>(
                new CommandDefinition(LoadNextStep, new { Id = runId, PipelineRunId = pipelineRunId }, cancellationToken: cancellationToken));
        if (next is null) return null;
        await stateRole.PrepareSchema(next.DeploymentId, cancellationToken);
        var dir = NewDirectory(pipelineRunId);
        try
        {
            WriteTemplate(dir, next.FilesJson, next.SensitiveVariables);
            var credentials = Credentials.Open(secrets, next.CredentialsEncrypted, next.CloudEnvironmentId);
            var environment = TerraformEnvironment(dir, next.DeploymentId, credentials);
            // Masked now with what masks the step's own init; the step's log masks it again with its run's values.
            var redactor = new Redactor(credentials.Values.Append(stateRole.Password));
            var log = new List<string> { $"$ {terraform.Binary} {string.Join(' ', InitArgs)}" };
            var exit = await terraform.Run(dir, InitArgs, environment, line => log.Add(redactor.Redact(line)),
                TimeSpan.FromSeconds(Options.InitTimeoutSeconds), cancellationToken);
            if (exit == 0) return new PreparedDirectory(new PreparedFor(pipelineRunId, next.DeploymentId, next.TemplateVersionId, next.CloudEnvironmentId), dir, log);
        }
        catch
        {
            PlanDirectories.Delete(dir);
            throw;
        }
        PlanDirectories.Delete(dir);
        return null;
    }

    /// <summary>A new run directory, named for what it is made for (a run, or the pipeline run whose next step it is prepared for).</summary>
    private string NewDirectory(Guid forId)
    {
        var dir = DirectoryName(forId);
        if (OperatingSystem.IsWindows()) Directory.CreateDirectory(dir);
        else Directory.CreateDirectory(dir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return dir;
    }

    private string DirectoryName(Guid forId)
    {
        var root = Options.WorkDir is { Length: > 0 } w ? w : Path.Combine(Path.GetTempPath(), "amnify-runs");
        return Path.Combine(root, $"{forId:N}-{Guid.NewGuid():N}"[..45]);
    }

    /// <summary>Moves <paramref name="dir"/> to a name of <paramref name="forId"/>'s (Terraform's working files hold no absolute path to it).</summary>
    private string Renamed(string dir, Guid forId)
    {
        var renamed = DirectoryName(forId);
        Directory.Move(dir, renamed);
        return renamed;
    }

    /// <summary>
    /// The run's environment and redactor. With <paramref name="writeTemplate"/>, the directory gets exactly the snapshotted
    /// template version and the pg backend (a prepared or kept directory has them); with <paramref name="writeVariables"/>,
    /// the variables in terraform.tfvars.json (readable by this user only; never on a command line), which an apply of a
    /// saved plan in the plan's own directory does not read.
    /// </summary>
    private (Dictionary<string, string> Environment, Redactor Redactor) Prepare(Work work, string dir, bool writeTemplate, bool writeVariables)
    {
        var sensitive = work.SensitiveEncrypted is null
            ? []
            : JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(secrets.Open(work.SensitiveEncrypted, work.Id))!;
        if (writeTemplate) WriteTemplate(dir, work.FilesJson, work.SensitiveVariables);
        if (writeVariables)
        {
            var variables = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(work.VariablesJson)!;
            foreach (var (k, v) in sensitive) variables[k] = v;
            var tfvars = Path.Combine(dir, "terraform.tfvars.json");
            File.WriteAllText(tfvars, JsonSerializer.Serialize(variables));
            if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(tfvars, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        var credentials = Credentials.Open(secrets, work.CredentialsEncrypted, work.CloudEnvironmentId);
        var secretsToHide = sensitive.Values.SelectMany(Redactor.SecretsIn)
            .Concat(credentials.Values).Append(stateRole.Password);
        return (TerraformEnvironment(dir, work.DeploymentId, credentials), new Redactor(secretsToHide));
    }

    private static void WriteTemplate(string dir, string filesJson, string[] sensitiveVariables)
    {
        foreach (var (name, content) in JsonSerializer.Deserialize<Dictionary<string, string>>(filesJson)!)
            File.WriteAllText(Path.Combine(dir, Path.GetFileName(name)), content);
        File.WriteAllText(Path.Combine(dir, "zz_amnify_backend.tf"), "terraform {\n  backend \"pg\" {}\n}\n");
        SensitiveOverride.Write(dir, sensitiveVariables);
    }

    /// <summary>Terraform's environment in <paramref name="dir"/>: the cloud environment's credentials, the engine's own settings, the state role.</summary>
    private Dictionary<string, string> TerraformEnvironment(string dir, Guid deploymentId, IReadOnlyDictionary<string, string> credentials)
    {
        var cliConfig = Path.Combine(dir, ".terraformrc");
        File.WriteAllText(cliConfig, "# the engine's own CLI configuration: no plugin sources beyond the built-in ones\n");
        var environment = new Dictionary<string, string>(credentials)
        {
            ["TF_IN_AUTOMATION"] = "1",
            ["TF_INPUT"] = "0",
            ["CHECKPOINT_DISABLE"] = "1",
            ["TF_CLI_CONFIG_FILE"] = cliConfig,
        };
        // Terraform's state connects as its own least-privilege role, never as the app.
        foreach (var (name, value) in stateRole.TerraformEnvironment(deploymentId)) environment[name] = value;
        return environment;
    }

    private async Task<bool> Terraform(RunLog runLog, string dir, Dictionary<string, string> env, string[] args, int timeoutSeconds, CancellationToken ct) =>
        await RunTerraform(runLog, dir, env, args, timeoutSeconds, ct) == 0;

    private async Task<int> RunTerraform(
        RunLog runLog, string dir, Dictionary<string, string> env, string[] args, int timeoutSeconds, CancellationToken ct, Action<string>? alsoTo = null)
    {
        runLog.Write($"$ {terraform.Binary} {string.Join(' ', args)}");
        try
        {
            return await terraform.Run(dir, args, env, line =>
            {
                runLog.WriteTerraform(line);
                alsoTo?.Invoke(line);
            }, TimeSpan.FromSeconds(timeoutSeconds), ct);
        }
        catch (TimeoutException e)
        {
            runLog.Write(e.Message);
            return -1;
        }
    }

    /// <summary>Output kept out of the log (the JSON plan holds raw values).</summary>
    private async Task<string> Capture(string dir, Dictionary<string, string> env, string[] args, CancellationToken ct)
    {
        var text = new StringBuilder();
        var code = await terraform.Run(dir, args, env, line => text.AppendLine(line), TimeSpan.FromSeconds(Options.InitTimeoutSeconds), ct);
        if (code != 0) throw new InvalidOperationException($"terraform {args[0]} exited with {code}");
        return text.ToString();
    }

    private async Task Fail(Guid runId, string workerId, RunLog runLog, string fallback)
    {
        await runLog.Flush();
        var error = PlanParser.ExtractError(runLog.Recent) ?? fallback;
        await Transition(runId, RunTrigger.Fail, (c, t) => transitions.Fail(c, t, new RunTransitions.Failed(runId, error, OwnedBy: workerId)));
    }

    /// <summary>One transition of the worker holding the run, in its own transaction.</summary>
    private async Task<bool> Transition(Guid runId, RunTrigger trigger, Func<NpgsqlConnection, NpgsqlTransaction, Task<TransitionedRun?>> transition)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        var run = await transition(connection, transaction);
        await transaction.CommitAndNotify();
        if (run is null) log.LogInformation("Run {RunId}: {Trigger} no longer applies (cancelled or taken over)", runId, trigger);
        return run is not null;
    }
}
