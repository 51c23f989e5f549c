using System.Buffers.Text;
using System.Text.Json;
using Npgsql;
using NpgsqlTypes;

namespace Amnify.Harness.Bench.Baseline;

/// <summary>
/// The throughput baseline (`Amnify.Harness baseline --urls …`): the benchmarked read routes as bare minimal
/// endpoints that run the product's SQL (read out of the API binary under test, <see cref="ApiSql"/>) with
/// plain Npgsql and write the same JSON — no auth, mediator, validation, Dapper or problem details. Only reads:
/// a bare trigger or cancel would have to re-implement the orchestrator and the transitions, a second engine
/// to keep in step, so the trigger + cancel load is measured on the API alone. Not part of the product.
/// </summary>
public static class BaselineApp
{
    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DictionaryKeyPolicy = null,
    };

    public static async Task<int> Run(string[] args)
    {
        var builder = WebApplication.CreateSlimBuilder(args);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        var connectionString = builder.Configuration.GetConnectionString("Amnify")
            ?? throw new InvalidOperationException("Set ConnectionStrings__Amnify.");
        var sql = new ApiSql(builder.Configuration["ApiDll"] ?? throw new InvalidOperationException("Set ApiDll (the Amnify.Api.dll under test)."));
        sql.CheckAll();
        // Prepared statements as the API has them (Database/DatabaseSetup.cs): the ratio is the API's own overhead, not Npgsql's settings.
        builder.Services.AddSingleton(NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(connectionString) { MaxAutoPrepare = 100 }.ToString()));
        builder.Services.AddSingleton(sql);
        var app = builder.Build();

        // With X-Bench-Auth: the bearer-token check the product made before it cached verified tokens — its lookup, then
        // its last-used touch on a second connection, both statements read out of Auth/AmnifyAuthentication.cs — to show
        // what authenticating on every request would cost.
        app.Use(async (context, next) =>
        {
            if (context.Request.Headers.ContainsKey(AuthHeader) && !await Authenticate(context))
            {
                context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                return;
            }
            await next(context);
        });
        app.MapGet("/readyz", () => Results.Ok());
        app.MapGet("/api/v1/pipelines/{id:guid}", GetPipeline);
        app.MapGet("/api/v1/pipelines", ListPipelinesPage);
        app.MapGet("/api/v1/pipeline-runs/{id:guid}", GetPipelineRun);
        await app.RunAsync();
        return 0;
    }

    // ---- the responses, shaped as the product's records serialize ----

    private sealed record StepInput(Guid StepId, string Variable, Guid FromStepId, string Output);

    private sealed record WireStepInput(string Variable, Guid FromStepId, string Output);

    private sealed record PipelineStep(Guid Id, int Position, Guid DeploymentId, string DeploymentName, string TemplateId, string TemplateName,
        string DeploymentStatus, WireStepInput[] Inputs);

    private sealed record Pipeline(Guid Id, string Provider, string Name, string Description, int Version, PipelineStep[] Steps,
        Guid? ActiveRunId, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);

    private sealed record PipelineSummary(Guid Id, string Provider, string Name, string Description, int StepCount,
        string? LastRunStatus, Guid? LastRunId, DateTimeOffset UpdatedAt);

    private sealed record Page<T>(IReadOnlyList<T> Items, string? NextCursor);

    private sealed record Cursor(string Key, string Id);

    private sealed record RunApproval(string Gate, string Decision, Guid? UserId, string UserName, DateTimeOffset At, string? Comment, string PlanSha256);

    private sealed record BlockedRunActions(string? ApprovePlan, string? ApproveApply);

    private sealed record RunActions(bool ApprovePlan, bool ApproveApply, bool Cancel, BlockedRunActions Blocked);

    private sealed record PipelineRunStep(int Position, Guid DeploymentId, string DeploymentName, string Status, string? SkipReason, string? Error,
        JsonElement Inputs, Guid? DeploymentRunId, string? DeploymentRunStatus, DateTimeOffset? StartedAt, DateTimeOffset? FinishedAt, JsonElement? Plan,
        RunApproval[] Approvals, object? ApprovalProgress, string? PlanSha256, string? CancelledBy, string? CancelReason, RunActions Actions);

    private sealed record PipelineRunActions(bool Cancel, bool Resume);

    private sealed record PipelineRun(Guid Id, Guid PipelineId, string PipelineName, int Number, string Status, string Operation, Guid? ResumedFromRunId,
        string TriggeredBy, string TriggerSource, string? CancelledBy, DateTimeOffset CreatedAt, DateTimeOffset? StartedAt, DateTimeOffset? FinishedAt,
        int? CurrentStepPosition, PipelineRunStep[] Steps, PipelineRunActions Actions);

    public const string AuthHeader = "X-Bench-Auth";

    private static async Task<bool> Authenticate(HttpContext context)
    {
        var header = context.Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)) return false;
        var hash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(header[7..].Trim())));
        var db = context.RequestServices.GetRequiredService<NpgsqlDataSource>();
        var sql = context.RequestServices.GetRequiredService<ApiSql>();
        Guid tokenId;
        await using (var c = await db.OpenConnectionAsync())
        await using (var command = Command(c, sql.TokenLookup, P("Hash", hash)))
        await using (var r = await command.ExecuteReaderAsync())
        {
            if (!await r.ReadAsync()) return false;
            tokenId = r.GetGuid(0);
        }
        await using (var c = await db.OpenConnectionAsync())
        await using (var command = Command(c, sql.TouchToken, P("Id", tokenId)))
            await command.ExecuteNonQueryAsync();
        return true;
    }

    // ---- endpoints ----

    private static async Task<IResult> GetPipeline(Guid id, NpgsqlDataSource db, ApiSql sql)
    {
        await using var c = await db.OpenConnectionAsync();
        var pipeline = await LoadPipeline(c, sql, id);
        return pipeline is null ? Results.NotFound() : Results.Json(pipeline, Json);
    }

    private static async Task<Pipeline?> LoadPipeline(NpgsqlConnection c, ApiSql sql, Guid id)
    {
        // The three statements in one round trip, as the API sends them.
        await using var batch = Batch(c, (sql.SelectPipeline, [P("id", id)]), (sql.SelectPipelineSteps, [P("id", id)]), (sql.SelectPipelineInputs, [P("id", id)]));
        await using var r = await batch.ExecuteReaderAsync();
        if (!await r.ReadAsync()) return null;
        // Columns by name: the API's SQL grows columns the baseline does not serve.
        var pipeline = new Pipeline(r.GetGuid(O(r, "id")), r.GetString(O(r, "provider")), r.GetString(O(r, "name")), r.GetString(O(r, "description")),
            r.GetInt32(O(r, "version")), [], NullableGuid(r, O(r, "active_run_id")), Utc(r, O(r, "created_at")), Utc(r, O(r, "updated_at")));
        await r.NextResultAsync();
        var steps = new List<PipelineStep>();
        while (await r.ReadAsync())
            steps.Add(new PipelineStep(r.GetGuid(O(r, "id")), r.GetInt32(O(r, "position")), r.GetGuid(O(r, "deployment_id")), r.GetString(O(r, "deployment_name")),
                r.GetString(O(r, "template_id")), r.GetString(O(r, "template_name")), r.GetString(O(r, "deployment_status")), []));
        await r.NextResultAsync();
        var inputs = new List<StepInput>();
        while (await r.ReadAsync())
            inputs.Add(new StepInput(r.GetGuid(O(r, "step_id")), r.GetString(O(r, "variable")), r.GetGuid(O(r, "from_step_id")), r.GetString(O(r, "output"))));
        var byStep = inputs.ToLookup(i => i.StepId, i => new WireStepInput(i.Variable, i.FromStepId, i.Output));
        return pipeline with { Steps = steps.Select(s => s with { Inputs = byStep[s.Id].ToArray() }).ToArray() };
    }

    private static async Task<IResult> ListPipelinesPage(NpgsqlDataSource db, ApiSql sql, string? provider = null, int limit = 50)
    {
        await using var c = await db.OpenConnectionAsync();
        var rows = new List<PipelineSummary>();
        await using (var command = Command(c, sql.ListPipelines,
            P("Provider", provider, NpgsqlDbType.Text), P("Pattern", null, NpgsqlDbType.Text), P("AfterKey", null, NpgsqlDbType.Text),
            P("AfterId", null, NpgsqlDbType.Text), P("Take", limit + 1)))
        await using (var r = await command.ExecuteReaderAsync())
            while (await r.ReadAsync())
                rows.Add(new PipelineSummary(r.GetGuid(0), r.GetString(1), r.GetString(2), r.GetString(3), (int)r.GetInt64(5),
                    r.IsDBNull(6) ? null : r.GetString(6), NullableGuid(r, 7), Utc(r, 4)));
        var page = rows.Count > limit
            ? new Page<PipelineSummary>(rows.Take(limit).ToList(),
                Base64Url.EncodeToString(JsonSerializer.SerializeToUtf8Bytes(new Cursor(rows[limit - 1].Name.ToLowerInvariant(), rows[limit - 1].Id.ToString()))))
            : new Page<PipelineSummary>(rows, null);
        return Results.Json(page, Json);
    }

    private static async Task<IResult> GetPipelineRun(Guid id, NpgsqlDataSource db, ApiSql sql)
    {
        await using var c = await db.OpenConnectionAsync();
        var run = await LoadRun(c, sql, id);
        return run is null ? Results.NotFound() : Results.Json(run, Json);
    }

    private static async Task<PipelineRun?> LoadRun(NpgsqlConnection c, ApiSql sql, Guid id)
    {
        // The three statements in one round trip, as the API sends them.
        await using var batch = Batch(c, (sql.SelectPipelineRun, [P("Id", id)]), (sql.SelectPipelineRunSteps, [P("Ids", new[] { id })]),
            (sql.SelectPipelineRunApprovals, [P("Ids", new[] { id })]));
        await using var r = await batch.ExecuteReaderAsync();
        if (!await r.ReadAsync()) return null;
        var status = r.GetString(O(r, "status"));
        var position = O(r, "current_step_position");
        var busy = r.GetBoolean(O(r, "pipeline_busy"));
        // The bench reads as its admin: every action the run's state offers is theirs.
        var actions = new PipelineRunActions(status is "queued" or "running" or "awaitingApproval",
            status is "failed" or "cancelled" or "rejected" or "expired" && !busy);
        var run = new PipelineRun(r.GetGuid(O(r, "id")), r.GetGuid(O(r, "pipeline_id")), r.GetString(O(r, "pipeline_name")), r.GetInt32(O(r, "number")), status,
            r.GetString(O(r, "operation")), NullableGuid(r, O(r, "resumed_from_run_id")), r.GetString(O(r, "triggered_by")), r.GetString(O(r, "trigger_source")),
            NullableString(r, O(r, "cancelled_by")), Utc(r, O(r, "created_at")), NullableUtc(r, O(r, "started_at")), NullableUtc(r, O(r, "finished_at")),
            r.IsDBNull(position) ? null : r.GetInt32(position), [], actions);
        await r.NextResultAsync();
        var steps = new List<(PipelineRunStep Step, bool HasPolicy)>();
        while (await r.ReadAsync())
        {
            var (runStatusAt, plan) = (O(r, "deployment_run_status"), O(r, "plan"));
            var runStatus = NullableString(r, runStatusAt);
            var awaiting = runStatus is "awaitingPlanApproval" or "awaitingApplyApproval";
            steps.Add((new PipelineRunStep(r.GetInt32(O(r, "position")), r.GetGuid(O(r, "deployment_id")), r.GetString(O(r, "deployment_name")),
                r.GetString(O(r, "status")), NullableString(r, O(r, "skip_reason")), NullableString(r, O(r, "error")),
                JsonDocument.Parse(r.GetString(O(r, "inputs"))).RootElement.Clone(), NullableGuid(r, O(r, "deployment_run_id")), runStatus,
                NullableUtc(r, O(r, "started_at")), NullableUtc(r, O(r, "finished_at")),
                r.IsDBNull(plan) ? null : JsonDocument.Parse(r.GetString(plan)).RootElement.Clone(), [], null,
                awaiting ? NullableString(r, O(r, "plan_sha256")) : null, NullableString(r, O(r, "cancelled_by")), NullableString(r, O(r, "cancel_reason")),
                // Outside a gate, as the bench's cancelled run is; at one, the approval policy would decide (the JSON check would say so).
                new RunActions(runStatus == "awaitingPlanApproval", runStatus == "awaitingApplyApproval",
                    runStatus is "queued" or "pending" or "initializing" or "planning" || awaiting, new BlockedRunActions(null, null))),
                !r.IsDBNull(O(r, "policy"))));
        }
        await r.NextResultAsync();
        var approvals = new List<(Guid RunId, RunApproval Approval)>();
        while (await r.ReadAsync())
            approvals.Add((r.GetGuid(O(r, "run_id")), new RunApproval(r.GetString(O(r, "gate")), r.GetString(O(r, "decision")), NullableGuid(r, O(r, "user_id")),
                r.GetString(O(r, "user_name")), Utc(r, O(r, "at")), NullableString(r, O(r, "comment")), r.GetString(O(r, "plan_sha256")))));
        var byRun = approvals.ToLookup(a => a.RunId, a => a.Approval);
        return run with
        {
            Steps = steps.Select(s => s.Step with
            {
                Approvals = s.Step.DeploymentRunId is { } d ? byRun[d].ToArray() : [],
                Actions = s.Step.DeploymentRunId is not null && s.HasPolicy ? s.Step.Actions : new RunActions(false, false, false, new BlockedRunActions(null, null)),
            }).ToArray(),
        };
    }

    // ---- bare Npgsql helpers ----

    private static NpgsqlParameter P(string name, object? value, NpgsqlDbType? type = null)
    {
        var parameter = type is { } t ? new NpgsqlParameter(name, t) : new NpgsqlParameter(name, value ?? DBNull.Value);
        parameter.Value = value ?? DBNull.Value;
        return parameter;
    }

    private static NpgsqlCommand Command(NpgsqlConnection c, string sql, params NpgsqlParameter[] parameters)
    {
        var command = new NpgsqlCommand(sql, c);
        command.Parameters.AddRange(parameters);
        return command;
    }

    /// <summary>Statements sent together: Npgsql's named @parameters only bind per command, so each gets its own.</summary>
    private static NpgsqlBatch Batch(NpgsqlConnection c, params (string Sql, NpgsqlParameter[] Parameters)[] statements)
    {
        var batch = new NpgsqlBatch(c);
        foreach (var (sql, parameters) in statements)
        {
            var command = new NpgsqlBatchCommand(sql);
            command.Parameters.AddRange(parameters);
            batch.BatchCommands.Add(command);
        }
        return batch;
    }

    private static int O(NpgsqlDataReader r, string column) => r.GetOrdinal(column);

    private static DateTimeOffset Utc(NpgsqlDataReader r, int i) => new(DateTime.SpecifyKind(r.GetDateTime(i), DateTimeKind.Utc));

    private static DateTimeOffset? NullableUtc(NpgsqlDataReader r, int i) => r.IsDBNull(i) ? null : Utc(r, i);

    private static Guid? NullableGuid(NpgsqlDataReader r, int i) => r.IsDBNull(i) ? null : r.GetGuid(i);

    private static string? NullableString(NpgsqlDataReader r, int i) => r.IsDBNull(i) ? null : r.GetString(i);
}
