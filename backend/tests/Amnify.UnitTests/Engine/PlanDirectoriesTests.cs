using Amnify.Api.Engine;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Amnify.UnitTests.Engine;

public sealed class PlanDirectoriesTests : IDisposable
{
    private readonly string root = Directory.CreateTempSubdirectory("amnify-plan-dirs-unit-").FullName;

    // Keep and Take never reach the database; only the pruning does.
    private readonly PlanDirectories directories = new(
        NpgsqlDataSource.Create("Host=127.0.0.1;Port=1"), Options.Create(new EngineOptions { Concurrency = 1 }), NullLogger<PlanDirectories>.Instance);

    private string PlanDirectory()
    {
        var dir = Directory.CreateDirectory(Path.Combine(root, Guid.NewGuid().ToString("N"))).FullName;
        foreach (var file in new[] { "main.tf", "terraform.tfvars.json", "plan.tfplan" }) File.WriteAllText(Path.Combine(dir, file), "x");
        return dir;
    }

    [Fact]
    public void A_kept_directory_loses_its_variables_and_plan_file_and_serves_its_run_once()
    {
        var run = Guid.NewGuid();
        var dir = PlanDirectory();

        directories.Keep(run, dir);

        Directory.GetFiles(dir).Select(Path.GetFileName).Should().Equal("main.tf");
        directories.Take(Guid.NewGuid()).Should().BeNull();
        directories.Take(run).Should().Be(dir);
        directories.Take(run).Should().BeNull("the apply that took it owns it now");
    }

    [Fact]
    public void Past_four_per_run_slot_the_oldest_kept_directory_is_deleted()
    {
        var runs = Enumerable.Range(0, 5).Select(_ => (Run: Guid.NewGuid(), Dir: PlanDirectory())).ToArray();

        foreach (var (run, dir) in runs) directories.Keep(run, dir);

        Directory.Exists(runs[0].Dir).Should().BeFalse();
        directories.Take(runs[0].Run).Should().BeNull();
        runs.Skip(1).Should().OnlyContain(r => Directory.Exists(r.Dir));
    }

    public void Dispose() => Directory.Delete(root, recursive: true);
}
