using Dapper;
using Npgsql;

namespace Amnify.Harness.Infra;

/// <summary>Read-only looks at the database the harnesses judge by; retried while PostgreSQL restarts.</summary>
public sealed class Db(string connectionString)
{
    static Db() => DefaultTypeMap.MatchNamesWithUnderscores = true;

    public async Task<T> Read<T>(Func<NpgsqlConnection, Task<T>> query, TimeSpan? timeout = null)
    {
        var until = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(60));
        while (true)
        {
            try
            {
                await using var connection = new NpgsqlConnection(connectionString);
                await connection.OpenAsync();
                return await query(connection);
            }
            catch (Exception e) when ((e is NpgsqlException or TimeoutException or InvalidOperationException) && DateTime.UtcNow < until)
            {
                NpgsqlConnection.ClearAllPools();
                await Task.Delay(300);
            }
        }
    }

    public Task<List<T>> Query<T>(string sql, object? parameters = null) =>
        Read(async c => (await c.QueryAsync<T>(sql, parameters)).AsList());

    /// <summary>One quick attempt; null when the database cannot answer now.</summary>
    public async Task<List<T>?> TryQuery<T>(string sql, object? parameters = null)
    {
        try
        {
            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync();
            return (await connection.QueryAsync<T>(sql, parameters)).AsList();
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException or InvalidOperationException)
        {
            return null;
        }
    }
}
