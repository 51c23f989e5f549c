using System.Data;
using Dapper;
using Npgsql;

namespace Amnify.Api.Database;

public static class DatabaseSetup
{
    public static WebApplicationBuilder AddDatabase(this WebApplicationBuilder builder)
    {
        var connectionString = builder.Configuration.GetConnectionString("Amnify");
        if (string.IsNullOrWhiteSpace(connectionString))
            throw new InvalidOperationException(
                "No database configured: set ConnectionStrings__Amnify (e.g. Host=127.0.0.1;Port=5433;Username=postgres;Database=amnify).");

        builder.Services.AddNpgsqlDataSource(WithoutSessionReset(WithAutoPrepare(connectionString)));
        builder.Services.AddSingleton<Db>();

        DefaultTypeMap.MatchNamesWithUnderscores = true;
        SqlMapper.RemoveTypeMap(typeof(DateTimeOffset));
        SqlMapper.AddTypeHandler(new DateTimeOffsetHandler());
        // jsonb columns read straight into the response records' typed members.
        SqlMapper.AddTypeHandler(new JsonColumn<Dictionary<string, System.Text.Json.JsonElement>>());
        SqlMapper.AddTypeHandler(new JsonColumn<Features.Templates.TemplateVariable[]>());
        SqlMapper.AddTypeHandler(new JsonColumn<Features.Templates.TemplateOutput[]>());
        SqlMapper.AddTypeHandler(new JsonColumn<Engine.FrozenInput[]>());
        SqlMapper.AddTypeHandler(new JsonColumn<Engine.VariableOrigin[]>());
        SqlMapper.AddTypeHandler(new JsonColumn<Terraform.PlanSummary>());
        SqlMapper.AddTypeHandler(new JsonColumn<Dictionary<string, Features.DeploymentRuns.RunOutput>>());
        SqlMapper.AddTypeHandler(new Engine.ApprovalPolicy.Column());
        SqlMapper.AddTypeHandler(new Engine.ApprovalPolicyOverride.Column());
        SqlMapper.AddTypeHandler(new JsonColumn<Features.DeploymentRuns.PipelineRunRef>());
        return builder;
    }

    /// <summary>
    /// Statements a connection runs again and again (the worker's claim, lease renewal, transitions and log appends,
    /// the hot reads) are prepared by Npgsql on their second use, so PostgreSQL parses and plans each once per
    /// connection. Safe across rolling upgrades because no statement selects <c>*</c>: an added column never changes
    /// a prepared statement's result. A connection string that sets <c>Max Auto Prepare</c> itself wins.
    /// </summary>
    private static string WithAutoPrepare(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        if (builder.MaxAutoPrepare > 0 || connectionString.Contains("Auto Prepare", StringComparison.OrdinalIgnoreCase)) return connectionString;
        builder.MaxAutoPrepare = 128;
        builder.AutoPrepareMinUsages = 2;
        return builder.ConnectionString;
    }

    /// <summary>
    /// No session reset when a pooled connection is reused: the app keeps no session state (no SET, temporary tables or
    /// session advisory locks on these connections; LISTEN only on connections held for the process's life), and on a
    /// connection with prepared statements Npgsql's reset is seven statements (RESET ALL, CLOSE ALL, UNLISTEN *,
    /// DISCARD …) before the first real one — measured as half of what the engine sent PostgreSQL per run.
    /// A connection string that sets <c>No Reset On Close</c> itself wins.
    /// </summary>
    private static string WithoutSessionReset(string connectionString)
    {
        if (connectionString.Contains("Reset On Close", StringComparison.OrdinalIgnoreCase)) return connectionString;
        return new NpgsqlConnectionStringBuilder(connectionString) { NoResetOnClose = true }.ConnectionString;
    }

    private sealed class JsonColumn<T> : SqlMapper.TypeHandler<T>
    {
        public override void SetValue(IDbDataParameter parameter, T? value) =>
            parameter.Value = value is null ? DBNull.Value : System.Text.Json.JsonSerializer.Serialize(value, System.Text.Json.JsonSerializerOptions.Web);

        public override T? Parse(object value) =>
            System.Text.Json.JsonSerializer.Deserialize<T>((string)value, System.Text.Json.JsonSerializerOptions.Web);
    }

    /// <summary>Npgsql reads timestamptz as a UTC DateTime; the API speaks DateTimeOffset.</summary>
    private sealed class DateTimeOffsetHandler : SqlMapper.TypeHandler<DateTimeOffset>
    {
        public override void SetValue(IDbDataParameter parameter, DateTimeOffset value) => parameter.Value = value.UtcDateTime;

        public override DateTimeOffset Parse(object value) => value switch
        {
            DateTime dt => new DateTimeOffset(DateTime.SpecifyKind(dt, DateTimeKind.Utc)),
            DateTimeOffset dto => dto,
            _ => throw new DataException($"Cannot convert {value.GetType()} to DateTimeOffset"),
        };
    }
}
