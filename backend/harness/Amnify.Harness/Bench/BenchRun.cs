using System.Diagnostics;
using System.Runtime.InteropServices;
using Amnify.Harness.Bench.Benchmarks;
using Amnify.Harness.Infra;
using Amnify.Harness.Reporting;

namespace Amnify.Harness.Bench;

/// <summary>
/// The whole suite, in order, each benchmark counted as it runs:
/// the bench's own PostgreSQL and a fresh database; the API with its worker (role all) for the orchestration
/// and concurrency benchmarks, a second `--role worker` process for the 2-worker round; then the API without a
/// worker (role api) and the bare baseline app for throughput, scale and the SPA. Every process and the
/// PostgreSQL cluster are stopped at the end, whatever happened.
/// </summary>
public static class BenchRun
{
    public static async Task<int> Run(string repo, string apiDll, BenchSizes sizes, string? only = null)
    {
        var started = DateTime.UtcNow;
        var stamp = started.ToString("yyyy-MM-dd-HHmm");
        var resultsDir = ReportFile.Folder(repo, "bench");
        var logsDir = Path.Combine(resultsDir, "logs", $"{stamp}-{sizes.Mode}");
        Directory.CreateDirectory(logsDir);
        var clock = Stopwatch.StartNew();
        var report = new BenchReport { StartedAtUtc = started.ToString("yyyy-MM-dd HH:mm"), Mode = sizes.Mode, Machine = await MachineInfo.Read() };
        Console.WriteLine($"Amnify benchmarks ({sizes.Mode}) — {report.Machine.Cpus} CPUs, {report.Machine.MemoryGb:F1} GB, {report.Machine.CpuModel}; logs in {logsDir}");

        using var stop = new CancellationTokenSource();
        await using var ctx = new BenchContext
        {
            Repo = repo, ApiDll = apiDll, Sizes = sizes, Stamp = started.ToString("yyyyMMddHHmmss"), ResultsDir = resultsDir, LogsDir = logsDir,
        };
        // Ctrl-C or a TERM from make: stop what was started, then exit.
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, c => { c.Cancel = true; stop.Cancel(); });
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => { c.Cancel = true; stop.Cancel(); });

        async Task Bench(string name, Func<Task> body)
        {
            // --only NAME: work on one benchmark without waiting for the others (the processes still start).
            if (only is not null && !name.Contains(only, StringComparison.OrdinalIgnoreCase)) return;
            if (stop.IsCancellationRequested)
            {
                report.Outcomes.Add(new BenchOutcome(name, false, 0, "interrupted"));
                return;
            }
            Console.WriteLine($"== {name}");
            var c = Stopwatch.StartNew();
            try
            {
                await body().WaitAsync(stop.Token);
                report.Outcomes.Add(new BenchOutcome(name, true, c.Elapsed.TotalSeconds, null, MachineInfo.LoadAverage()));
            }
            catch (Exception e)
            {
                Console.WriteLine($"!! {name} failed: {e}");
                report.Outcomes.Add(new BenchOutcome(name, false, c.Elapsed.TotalSeconds, e.Message.Split('\n')[0], MachineInfo.LoadAverage()));
            }
        }

        try
        {
            Console.WriteLine($"== setup: PostgreSQL on 127.0.0.1:{BenchContext.PgPort} (.data/pg-bench), fresh database, the API (role all)");
            await ctx.Pg.Start();
            await ctx.Pg.TuneForBulkLoad();
            await ctx.Pg.EnableStatementStats();
            await ApiPlans.Enable(ctx);
            await ctx.Pg.DropDatabase(BenchContext.Database);
            await ctx.Pg.CreateDatabase(BenchContext.Database);
            report.Machine = report.Machine with { Postgres = await MachineInfo.PostgresVersion(ctx.Db) };

            await Spa.EnsureBuilt(repo);
            ChildProcess? api = await ctx.StartApi("api-all", role: null, BenchContext.ApiPort);
            ChildProcess? worker = null;
            await Bench("orchestration overhead", async () => report.Orchestration = await Orchestration.Run(ctx));
            await Bench("pipelines at once (1 and 2 workers)", async () =>
            {
                report.Concurrency.AddRange(await Orchestration.Concurrent(ctx, workers: 1));
                worker = await ctx.StartApi("worker", role: "worker", BenchContext.WorkerPort);
                report.Concurrency.AddRange(await Orchestration.Concurrent(ctx, workers: 2));
            });
            var apiAllPeak = api.ReadPeakRss();
            var workerPeak = worker?.ReadPeakRss();
            if (worker is not null) await ctx.Stop(worker);
            await ctx.Stop(api);

            // No worker from here on: the trigger + cancel load must not start Terraform, and the baseline runs none either.
            api = await ctx.StartApi("api", role: "api", BenchContext.ApiPort);
            var baseline = await ctx.StartBaseline();
            await Bench("API throughput and latency", async () => report.Throughput = await Throughput.Run(ctx));
            await Bench("scale (empty vs seeded)", async () => report.Scale = await Scale.Run(ctx));
            await Bench("SPA bundle", async () => report.Spa = await Spa.Bundle(ctx));
            await Bench("SPA run view in Chromium", async () =>
            {
                var (latency, skipped) = await Spa.RunView(ctx);
                if (report.Spa is { } spa) (spa.RunView, spa.RunViewSkipped) = (latency, skipped);
            });
            // Its own database, API and workers: nothing the other figures measure.
            await Bench("engine capacity (stub terraform)", async () => report.Engine = await EngineCapacity.Run(ctx));
            await Bench("memory", () =>
            {
                void Add(string label, long? bytes)
                {
                    if (bytes is { } b) report.Memory.Add(new ProcessMemory(label, b / 1024.0 / 1024.0));
                }
                Add("API + worker (role all), after the pipelines", apiAllPeak);
                Add("worker process (--role worker), after the pipelines", workerPeak);
                Add("API (role api), after throughput and scale", api.ReadPeakRss());
                Add("bare baseline app, after throughput", baseline.ReadPeakRss());
                if (apiAllPeak is null) throw new InvalidOperationException("Could not read the API's VmHWM.");
                return Task.CompletedTask;
            });
        }
        catch (Exception e)
        {
            Console.WriteLine($"!! setup failed: {e}");
            report.Outcomes.Add(new BenchOutcome("setup", false, clock.Elapsed.TotalSeconds, e.Message.Split('\n')[0]));
        }
        finally
        {
            await ctx.DisposeAsync();
            try { await ctx.Pg.Stop(); }
            catch (Exception e) { Console.WriteLine($"!! stopping PostgreSQL: {e.Message}"); }
        }

        report.TotalSeconds = clock.Elapsed.TotalSeconds;
        if (only is not null) report.Notes.Add($"Only the benchmarks whose name contains \"{only}\" ran (--only).");
        var defaults = sizes.Mode == "smoke" ? BenchSizes.Smoke.Engine : BenchSizes.Full.Engine;
        if (!sizes.Engine.Levels.SequenceEqual(defaults.Levels) || !sizes.Engine.Workers.SequenceEqual(defaults.Workers) || sizes.Engine.SettleTimeout != defaults.SettleTimeout)
            report.Notes.Add($"The engine benchmark ran a narrowed grid: {string.Join(", ", sizes.Engine.Levels)} in flight × " +
                             $"{string.Join(", ", sizes.Engine.Workers)} worker(s), settling up to {sizes.Engine.SettleTimeout.TotalSeconds:F0} s.");
        if (sizes.Mode == "smoke") report.Notes.Add("Smoke run: every benchmark tiny, to keep the harness working; its figures mean nothing.");
        ReportWriter.CheckTargets(report);
        var name = $"{stamp}{(sizes.Mode == "smoke" ? "-smoke" : "")}";
        await ReportFile.Write(repo, "bench", $"{name}.json", ReportWriter.Json(report));
        await ReportFile.Write(repo, "bench", $"{name}.md", ReportWriter.Markdown(report));
        Console.WriteLine();
        Console.WriteLine(ReportWriter.Console(report));
        Console.WriteLine($"Report: backend/harness/results/bench/{name}.md (+ .json)");
        var passed = report.Outcomes.Count(o => o.Ran);
        var failed = report.Outcomes.Count(o => !o.Ran);
        return ReportFile.Verdict(passed, failed);
    }
}
