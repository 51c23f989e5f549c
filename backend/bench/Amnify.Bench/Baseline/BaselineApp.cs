using System.Buffers.Text;
using System.Text.Json;
using Npgsql;
using NpgsqlTypes;
using static Amnify.Bench.Baseline.ProductSql;

namespace Amnify.Bench.Baseline;

/// <summary>
/// The throughput baseline (`Amnify.Bench baseline --urls …`): the benchmarked routes as bare minimal
/// endpoints that run the product's SQL with plain Npgsql and write the same JSON — no auth, mediator,
/// validation, Dapper or problem details. Not part of the product.
/// </summary>
public static class BaselineApp
{
    private const string Actor = "bootstrap@amnify.local";

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
        builder.Services.AddSingleton(NpgsqlDataSource.Create(connectionString));
        var app = builder.Build();

        // With X-Bench-Auth: the product's bearer-token check first — its lookup, then its last-used touch on a
        // second connection (Auth/AmnifyAuthentication.cs) — to show how much of the gap authentication is.
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
        app.MapPost("/api/v1/pipelines/{id:guid}/runs", Trigger);
        app.MapPost("/api/v1/pipeline-runs/{id:guid}/cancel", Cancel);
        await app.RunAsync();
        return 0;
    }

    // ---- the responses, shaped as the product's records serialize ----

    private sealed record PipelineStep(Guid Id, int Position, Guid DeploymentId, string DeploymentName, string TemplateName, string DeploymentStatus);

    private sealed record Pipeline(Guid Id, string Provider, string Name, string Description, int Version, PipelineStep[] Steps,
        Guid? ActiveRunId, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);

    private sealed record PipelineSummary(Guid Id, string Provider, string Name, string Description, int StepCount,
        string? LastRunStatus, Guid? LastRunId, DateTimeOffset UpdatedAt);

    private sealed record Page<T>(IReadOnlyList<T> Items, string? NextCursor);

    private sealed record Cursor(string Key, string Id);

    private sealed record PipelineRunStep(int Position, Guid DeploymentId, string DeploymentName, string Status, Guid? DeploymentRunId,
        string? DeploymentRunStatus, DateTimeOffset? StartedAt, DateTimeOffset? FinishedAt, JsonElement? Plan);

    private sealed record PipelineRunActions(bool Cancel);

    private sealed record PipelineRun(Guid Id, Guid PipelineId, string PipelineName, int Number, string Status, string TriggeredBy,
        string TriggerSource, string? CancelledBy, DateTimeOffset CreatedAt, DateTimeOffset? StartedAt, DateTimeOffset? FinishedAt,
        int? CurrentStepPosition, PipelineRunStep[] Steps, PipelineRunActions Actions);

    public const string AuthHeader = "X-Bench-Auth";

    private static async Task<bool> Authenticate(HttpContext context)
    {
        var header = context.Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)) return false;
        var hash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(header[7..].Trim())));
        var db = context.RequestServices.GetRequiredService<NpgsqlDataSource>();
        Guid tokenId;
        await using (var c = await db.OpenConnectionAsync())
        await using (var command = Command(c, null, TokenLookup, P("Hash", hash)))
        await using (var r = await command.ExecuteReaderAsync())
        {
            if (!await r.ReadAsync()) return false;
            tokenId = r.GetGuid(0);
        }
        await using (var c = await db.OpenConnectionAsync())
        await using (var command = Command(c, null, TouchToken, P("Id", tokenId)))
            await command.ExecuteNonQueryAsync();
        return true;
    }

    // ---- endpoints ----

    private static async Task<IResult> GetPipeline(Guid id, NpgsqlDataSource db)
    {
        await using var c = await db.OpenConnectionAsync();
        var pipeline = await LoadPipeline(c, id);
        return pipeline is null ? Results.NotFound() : Results.Json(pipeline, Json);
    }

    private static async Task<Pipeline?> LoadPipeline(NpgsqlConnection c, Guid id)
    {
        Pipeline? pipeline;
        await using (var command = Command(c, null, SelectPipeline, P("id", id)))
        await using (var r = await command.ExecuteReaderAsync())
        {
            if (!await r.ReadAsync()) return null;
            pipeline = new Pipeline(r.GetGuid(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetInt32(4), [],
                NullableGuid(r, 7), Utc(r, 5), Utc(r, 6));
        }
        var steps = new List<PipelineStep>();
        await using (var command = Command(c, null, SelectPipelineSteps, P("id", id)))
        await using (var r = await command.ExecuteReaderAsync())
            while (await r.ReadAsync())
                steps.Add(new PipelineStep(r.GetGuid(0), r.GetInt32(1), r.GetGuid(2), r.GetString(3), r.GetString(4), r.GetString(5)));
        return pipeline with { Steps = steps.ToArray() };
    }

    private static async Task<IResult> ListPipelinesPage(NpgsqlDataSource db, string? provider = null, int limit = 50)
    {
        await using var c = await db.OpenConnectionAsync();
        var rows = new List<PipelineSummary>();
        await using (var command = Command(c, null, ListPipelines,
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

    private static async Task<IResult> GetPipelineRun(Guid id, NpgsqlDataSource db)
    {
        await using var c = await db.OpenConnectionAsync();
        var run = await LoadRun(c, null, id);
        return run is null ? Results.NotFound() : Results.Json(run, Json);
    }

    private static async Task<PipelineRun?> LoadRun(NpgsqlConnection c, NpgsqlTransaction? tx, Guid id)
    {
        PipelineRun? run;
        await using (var command = Command(c, tx, SelectPipelineRun, P("id", id)))
        await using (var r = await command.ExecuteReaderAsync())
        {
            if (!await r.ReadAsync()) return null;
            var status = r.GetString(4);
            run = new PipelineRun(r.GetGuid(0), r.GetGuid(1), r.GetString(2), r.GetInt32(3), status, r.GetString(5), r.GetString(6),
                r.IsDBNull(7) ? null : r.GetString(7), Utc(r, 8), NullableUtc(r, 9), NullableUtc(r, 10), r.IsDBNull(11) ? null : r.GetInt32(11),
                [], new PipelineRunActions(status is "queued" or "running" or "awaitingApproval"));
        }
        var steps = new List<PipelineRunStep>();
        await using (var command = Command(c, tx, SelectPipelineRunSteps, P("Ids", new[] { id })))
        await using (var r = await command.ExecuteReaderAsync())
            while (await r.ReadAsync())
                steps.Add(new PipelineRunStep(r.GetInt32(1), r.GetGuid(2), r.GetString(3), r.GetString(4), NullableGuid(r, 5),
                    r.IsDBNull(6) ? null : r.GetString(6), NullableUtc(r, 7), NullableUtc(r, 8),
                    r.IsDBNull(9) ? null : JsonDocument.Parse(r.GetString(9)).RootElement.Clone()));
        return run with { Steps = steps.ToArray() };
    }

    /// <summary>TriggerPipelineRun: the orchestrator's Trigger + Advance + RunQueue.Enqueue + audit, in one transaction.</summary>
    private static async Task<IResult> Trigger(Guid id, NpgsqlDataSource db, HttpContext http)
    {
        await using var c = await db.OpenConnectionAsync();
        await using var tx = await c.BeginTransactionAsync();
        if (await Scalar(c, tx, LockPipeline, P("PipelineId", id)) is null) return Results.NotFound();
        if (await Scalar(c, tx, ActiveRun, P("PipelineId", id)) is not null) return Results.Conflict();
        if (await Scalar(c, tx, Unconfigured, P("PipelineId", id)) is not null) return Results.Conflict();
        if (await Scalar(c, tx, HasSteps, P("PipelineId", id)) is not true) return Results.Conflict();

        var runId = Guid.CreateVersion7();
        await Execute(c, tx, CreateRun, P("Id", runId), P("PipelineId", id), P("TriggeredBy", Actor), P("Source", "api"),
            P("IdempotencyKey", null, NpgsqlDbType.Text));
        int position;
        Guid deploymentId;
        await using (var command = Command(c, tx, NextStep, P("PipelineRunId", runId), P("Position", 0)))
        await using (var r = await command.ExecuteReaderAsync())
        {
            if (!await r.ReadAsync()) return Results.Conflict();
            (position, deploymentId) = (r.GetInt32(0), r.GetGuid(1));
        }
        object variables, sensitiveKeys, environment, version;
        await using (var command = Command(c, tx, Snapshot, P("DeploymentId", deploymentId)))
        await using (var r = await command.ExecuteReaderAsync())
        {
            if (!await r.ReadAsync()) return Results.NotFound();
            (variables, sensitiveKeys, environment, version) = (r.GetString(3), r.GetFieldValue<string[]>(4), r.GetGuid(6), r.GetGuid(7));
        }
        var deploymentRunId = Guid.CreateVersion7();
        await Execute(c, tx, EnqueueRun, P("Id", deploymentRunId), P("DeploymentId", deploymentId), P("Operation", "execute"),
            P("TemplateVersionId", version), P("CloudEnvironmentId", environment), P("VariablesJson", variables),
            P("SensitiveKeys", sensitiveKeys), P("SensitiveEncrypted", null, NpgsqlDbType.Bytea), P("TriggeredBy", Actor),
            P("PipelineRunId", runId));
        await Execute(c, tx, StartStep, P("PipelineRunId", runId), P("Position", position), P("DeploymentRunId", deploymentRunId));
        await Execute(c, tx, SetRunStatus, P("PipelineRunId", runId), P("Status", "running"), P("Position", position, NpgsqlDbType.Integer));
        await Execute(c, tx, NotifyPipelineRun, P("Id", runId));
        await AuditEvent(c, tx, http, "pipelineRun.trigger", "pipelineRun", runId, $"pipeline {id} via api");
        var run = (await LoadRun(c, tx, runId))!;
        await tx.CommitAsync();
        http.Response.Headers.Location = $"/api/v1/pipeline-runs/{runId}";
        return Results.Json(run, Json, statusCode: StatusCodes.Status202Accepted);
    }

    private static readonly string[] Cancellable = ["queued", "pending", "initializing", "planning", "awaitingPlanApproval", "awaitingApplyApproval"];

    /// <summary>CancelPipelineRun: the orchestrator's Cancel, the Cancel transition and what follows it, and audit.</summary>
    private static async Task<IResult> Cancel(Guid id, NpgsqlDataSource db, HttpContext http)
    {
        await using var c = await db.OpenConnectionAsync();
        await using var tx = await c.BeginTransactionAsync();
        if (await LoadRun(c, tx, id) is null) return Results.NotFound();
        if (await Scalar(c, tx, CurrentStep, P("PipelineRunId", id)) is Guid current)
        {
            Guid deployment;
            string operation;
            int seq;
            await using (var command = Command(c, tx, CancelTransition, P("To", "cancelled"), P("Actor", Actor),
                P("Reason", "The pipeline run was cancelled."), P("Id", current), P("From", Cancellable)))
            await using (var r = await command.ExecuteReaderAsync())
            {
                if (!await r.ReadAsync()) return Results.Conflict();
                (deployment, operation, seq) = (r.GetGuid(1), r.GetString(2), r.GetInt32(4));
            }
            await Execute(c, tx, AddStatusEvent, P("Id", current), P("Seq", seq), P("Status", "cancelled"));
            await Execute(c, tx, RecordOutcome, P("Status", "cancelled"), P("Operation", operation), P("DeploymentId", deployment));
            await Scalar(c, tx, NextInLine, P("DeploymentId", deployment));
            int? position = null;
            await using (var command = Command(c, tx, StepOfRun, P("RunId", current)))
            await using (var r = await command.ExecuteReaderAsync())
                if (await r.ReadAsync()) position = r.GetInt32(1);
            if (position is { } p)
            {
                await Execute(c, tx, SettleStep, P("PipelineRunId", id), P("Position", p), P("Status", "cancelled"));
                await Stop(c, tx, id, p);
            }
        }
        else if (!await Stop(c, tx, id, null))
        {
            return Results.Conflict();
        }
        await Execute(c, tx, SetCancelledBy, P("Actor", Actor), P("Id", id));
        await AuditEvent(c, tx, http, "pipelineRun.cancel", "pipelineRun", id, null);
        var run = (await LoadRun(c, tx, id))!;
        await tx.CommitAsync();
        return Results.Json(run, Json);
    }

    private static async Task<bool> Stop(NpgsqlConnection c, NpgsqlTransaction tx, Guid runId, int? position)
    {
        var changed = await Execute(c, tx, SetRunStatus, P("PipelineRunId", runId), P("Status", "cancelled"), P("Position", position, NpgsqlDbType.Integer)) > 0;
        await Execute(c, tx, NotifyPipelineRun, P("Id", runId));
        if (changed) await Execute(c, tx, NotRunRest, P("PipelineRunId", runId));
        return changed;
    }

    private static Task<int> AuditEvent(NpgsqlConnection c, NpgsqlTransaction tx, HttpContext http, string action, string type, Guid resource, string? details) =>
        Execute(c, tx, Audit, P("Id", Guid.CreateVersion7()), P("Actor", Actor), P("Action", action), P("ResourceType", type),
            P("ResourceId", resource.ToString()), P("Details", details, NpgsqlDbType.Text),
            P("SourceIp", http.Connection.RemoteIpAddress?.ToString(), NpgsqlDbType.Text));

    // ---- bare Npgsql helpers ----

    private static NpgsqlParameter P(string name, object? value, NpgsqlDbType? type = null)
    {
        var parameter = type is { } t ? new NpgsqlParameter(name, t) : new NpgsqlParameter(name, value ?? DBNull.Value);
        parameter.Value = value ?? DBNull.Value;
        return parameter;
    }

    private static NpgsqlCommand Command(NpgsqlConnection c, NpgsqlTransaction? tx, string sql, params NpgsqlParameter[] parameters)
    {
        var command = new NpgsqlCommand(sql, c, tx);
        command.Parameters.AddRange(parameters);
        return command;
    }

    private static async Task<object?> Scalar(NpgsqlConnection c, NpgsqlTransaction tx, string sql, params NpgsqlParameter[] parameters)
    {
        await using var command = Command(c, tx, sql, parameters);
        var value = await command.ExecuteScalarAsync();
        return value is DBNull ? null : value;
    }

    private static async Task<int> Execute(NpgsqlConnection c, NpgsqlTransaction tx, string sql, params NpgsqlParameter[] parameters)
    {
        await using var command = Command(c, tx, sql, parameters);
        return await command.ExecuteNonQueryAsync();
    }

    private static DateTimeOffset Utc(NpgsqlDataReader r, int i) => new(DateTime.SpecifyKind(r.GetDateTime(i), DateTimeKind.Utc));

    private static DateTimeOffset? NullableUtc(NpgsqlDataReader r, int i) => r.IsDBNull(i) ? null : Utc(r, i);

    private static Guid? NullableGuid(NpgsqlDataReader r, int i) => r.IsDBNull(i) ? null : r.GetGuid(i);
}
