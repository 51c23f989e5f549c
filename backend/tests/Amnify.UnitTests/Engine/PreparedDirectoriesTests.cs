using Amnify.Api.Engine;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Amnify.UnitTests.Engine;

/// <summary>The directories prepared for a pipeline run's next step: used only for exactly what they were made for, never leaked.</summary>
public sealed class PreparedDirectoriesTests : IDisposable
{
    private readonly string root = Directory.CreateTempSubdirectory("amnify-prepared-dirs-unit-").FullName;

    // Prepare and TakePrepared never reach the database; only the pruning does.
    private readonly PlanDirectories directories = new(
        NpgsqlDataSource.Create("Host=127.0.0.1;Port=1"), Options.Create(new EngineOptions { Concurrency = 1 }), NullLogger<PlanDirectories>.Instance);

    private static PreparedFor Key() => new(Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());

    private PreparedDirectory Made(PreparedFor key) =>
        new(key, Directory.CreateDirectory(Path.Combine(root, Guid.NewGuid().ToString("N"))).FullName, ["$ terraform init"]);

    [Fact]
    public async Task A_prepared_directory_serves_its_step_once()
    {
        var key = Key();
        var made = Made(key);
        directories.Prepare(key.PipelineRunId, _ => Task.FromResult<PreparedDirectory?>(made));

        (await directories.TakePrepared(key, CancellationToken.None)).Should().Be(made);
        (await directories.TakePrepared(key, CancellationToken.None)).Should().BeNull("the run that took it owns it now");
        Directory.Exists(made.Dir).Should().BeTrue();
    }

    [Fact]
    public async Task A_prepared_directory_made_for_another_template_version_is_deleted_instead_of_used()
    {
        var key = Key();
        var made = Made(key);
        directories.Prepare(key.PipelineRunId, _ => Task.FromResult<PreparedDirectory?>(made));

        (await directories.TakePrepared(key with { TemplateVersionId = Guid.NewGuid() }, CancellationToken.None)).Should().BeNull();

        Directory.Exists(made.Dir).Should().BeFalse();
    }

    [Fact]
    public async Task A_preparation_still_under_way_is_waited_for()
    {
        var key = Key();
        var made = Made(key);
        var release = new TaskCompletionSource<PreparedDirectory?>();
        directories.Prepare(key.PipelineRunId, _ => release.Task);

        var taking = directories.TakePrepared(key, CancellationToken.None);
        taking.IsCompleted.Should().BeFalse();
        release.SetResult(made);

        (await taking).Should().Be(made);
    }

    [Fact]
    public async Task Past_four_per_run_slot_the_oldest_preparation_is_stopped_and_its_directory_deleted()
    {
        var first = Key();
        var firstDir = Made(first);
        var stopped = new TaskCompletionSource();
        directories.Prepare(first.PipelineRunId, async stop =>
        {
            await Task.Delay(Timeout.Infinite, stop).ContinueWith(_ => stopped.SetResult(), TaskScheduler.Default);
            return firstDir;
        });

        foreach (var key in Enumerable.Range(0, 4).Select(_ => Key()))
        {
            var made = Made(key);
            directories.Prepare(key.PipelineRunId, _ => Task.FromResult<PreparedDirectory?>(made));
        }

        await stopped.Task.WaitAsync(TimeSpan.FromSeconds(10));
        for (var until = DateTime.UtcNow.AddSeconds(10); Directory.Exists(firstDir.Dir) && DateTime.UtcNow < until;) await Task.Delay(20);
        Directory.Exists(firstDir.Dir).Should().BeFalse();
        (await directories.TakePrepared(first, CancellationToken.None)).Should().BeNull();
    }

    public void Dispose() => Directory.Delete(root, recursive: true);
}
