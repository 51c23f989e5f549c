using System.Diagnostics;
using Amnify.Api.Database;
using Dapper;
using Microsoft.Extensions.DependencyInjection;

namespace Amnify.Api.Tests.Http;

/// <summary>A caller that goes away stops its statement in PostgreSQL, not only its wait for the answer.</summary>
[Collection(nameof(PlumbingCollection))]
public sealed class CancellationTests(ApiFactory api)
{
    [Fact]
    public async Task A_cancelled_read_stops_its_query_at_once()
    {
        var db = api.Services.GetRequiredService<Db>();
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        var clock = Stopwatch.StartNew();

        var read = () => db.Read((c, token) => c.ExecuteScalarAsync<int>(
            new CommandDefinition("SELECT 1 FROM pg_sleep(30)", cancellationToken: token)), cancel.Token);

        await read.Should().ThrowAsync<OperationCanceledException>();
        clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(10), "the token reaches the command, so PostgreSQL is told to stop");
    }
}
