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

        builder.Services.AddNpgsqlDataSource(connectionString);
        builder.Services.AddSingleton<Db>();

        DefaultTypeMap.MatchNamesWithUnderscores = true;
        SqlMapper.RemoveTypeMap(typeof(DateTimeOffset));
        SqlMapper.AddTypeHandler(new DateTimeOffsetHandler());
        return builder;
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
