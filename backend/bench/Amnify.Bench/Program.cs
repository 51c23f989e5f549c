// Amnify Deploy benchmarks. `make bench` / `make bench-smoke` run:
//   dotnet Amnify.Bench.dll [--smoke] --repo <repo> --api <published Amnify.Api.dll>
// and `Amnify.Bench baseline --urls …` is the bare comparison app the bench starts for itself.
using Amnify.Bench;
using Amnify.Bench.Baseline;

if (args.Length > 0 && args[0] == "baseline") return await BaselineApp.Run(args[1..]);

string? Arg(string name) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;
var repo = Path.GetFullPath(Arg("--repo") ?? Directory.GetCurrentDirectory());
var apiDll = Path.GetFullPath(Arg("--api") ?? "/tmp/amnify-bench-api/Amnify.Api.dll");
var sizes = args.Contains("--smoke") ? BenchSizes.Smoke : BenchSizes.Full;
if (!File.Exists(Path.Combine(repo, "backend/Amnify.slnx")))
{
    Console.Error.WriteLine($"{repo} is not the repository root (pass --repo).");
    return 2;
}
if (!File.Exists(apiDll))
{
    Console.Error.WriteLine($"No API at {apiDll}: dotnet publish backend/src/Amnify.Api -c Release -o {Path.GetDirectoryName(apiDll)}");
    return 2;
}
return await BenchRun.Run(repo, apiDll, sizes);
