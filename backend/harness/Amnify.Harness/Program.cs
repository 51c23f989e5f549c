using System.Runtime.InteropServices;
using Amnify.Harness;
using Amnify.Harness.Bench;
using Amnify.Harness.Bench.Baseline;
using Amnify.Harness.Chaos;
using Amnify.Harness.Load;

// The harnesses of Amnify Deploy, against real processes (make bench / bench-smoke / chaos / chaos-smoke / load):
//   bench [--smoke] [--only NAME] [--engine-levels 1000,5000] [--engine-workers 2,4] [--engine-settle SECONDS]
//                                                                 figures against baselines measured in the same run
//   chaos [--smoke] [--trials N] [--parallel N] [--seed N]        faults injected while pipelines run
//   load  [--smoke] [--seconds N] [--clients N] [--pipelines N]   concurrent clients against the API
// Each takes --repo <repository root> and --api <path of the built Amnify.Api.dll>.
// `baseline --urls …` is the bare comparison app the bench starts for itself.
if (args.Length > 0 && args[0] == "baseline") return await BaselineApp.Run(args[1..]);
if (args.Length == 0 || args[0] is not ("bench" or "chaos" or "load"))
{
    Console.Error.WriteLine("usage: Amnify.Harness bench|chaos|load --repo DIR --api Amnify.Api.dll [--smoke] [--trials N] [--parallel N] [--seed N] [--seconds N] [--clients N]");
    return 2;
}

string? Option(string name) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;
int IntOption(string name, int fallback) => Option(name) is { } v ? int.Parse(v) : fallback;
var smoke = args.Contains("--smoke");
var settings = new Settings(
    Path.GetFullPath(Option("--repo") ?? Directory.GetCurrentDirectory()),
    Path.GetFullPath(Option("--api") ?? "/tmp/amnify-harness-api/Amnify.Api.dll"));
if (!File.Exists(Path.Combine(settings.Repo, "backend/Amnify.slnx")))
{
    Console.Error.WriteLine($"{settings.Repo} is not the repository root (pass --repo).");
    return 2;
}
if (!File.Exists(settings.ApiDll))
{
    Console.Error.WriteLine($"The API binary {settings.ApiDll} is missing: dotnet publish backend/src/Amnify.Api -c Release -o {Path.GetDirectoryName(settings.ApiDll)}");
    return 2;
}
int[]? IntsOption(string name) => Option(name)?.Split(',').Select(int.Parse).ToArray();
if (args[0] == "bench")
{
    var sizes = smoke ? BenchSizes.Smoke : BenchSizes.Full;
    // The engine benchmark's grid, narrowed to iterate on one cell (e.g. --engine-levels 1000 --engine-workers 2).
    sizes = sizes with
    {
        Engine = sizes.Engine with
        {
            Levels = IntsOption("--engine-levels") ?? sizes.Engine.Levels,
            Workers = IntsOption("--engine-workers") ?? sizes.Engine.Workers,
            SettleTimeout = Option("--engine-settle") is { } settle ? TimeSpan.FromSeconds(int.Parse(settle)) : sizes.Engine.SettleTimeout,
        },
    };
    return await BenchRun.Run(settings.Repo, settings.ApiDll, sizes, Option("--only"));
}

// Ctrl-C or SIGTERM: stop starting work, then stop every process started here (the finally blocks do).
using var cancel = new CancellationTokenSource();
void OnSignal(PosixSignalContext context)
{
    context.Cancel = true;
    Console.Error.WriteLine("Stopping: the processes started by the harness are being stopped…");
    cancel.Cancel();
}
using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);

return args[0] == "chaos"
    ? await new ChaosRun(settings, new ChaosOptions(
        Trials: IntOption("--trials", smoke ? 4 : 50),
        Parallel: IntOption("--parallel", smoke ? 4 : 3),
        Seed: IntOption("--seed", Environment.TickCount & 0xFFFF),
        Smoke: smoke,
        LeaseSeconds: IntOption("--lease", 6))).Execute(cancel.Token)
    : await new LoadRun(settings, new LoadOptions(
        Seconds: IntOption("--seconds", smoke ? 5 : 60),
        Clients: IntOption("--clients", smoke ? 20 : 200),
        Pipelines: IntOption("--pipelines", smoke ? 6 : 24),
        Smoke: smoke)).Execute(cancel.Token);

namespace Amnify.Harness
{
    /// <summary>Where the repository and the API under test are.</summary>
    public sealed record Settings(string Repo, string ApiDll);
}
