namespace Amnify.Api.Tests.Contract;

[CollectionDefinition(nameof(ContractCollection))]
public sealed class ContractCollection : ICollectionFixture<ApiFactory>;

/// <summary>
/// openapi.yaml at the repository root is the contract the SPA and other teams build on: it must be
/// exactly what the server serves. `make openapi` rewrites it (UPDATE_OPENAPI=1).
/// </summary>
[Collection(nameof(ContractCollection))]
public sealed class OpenApiContractTests(ApiFactory api)
{
    [Fact]
    public async Task The_committed_openapi_yaml_equals_the_served_document()
    {
        var served = (await api.CreateClient().GetStringAsync("/swagger/v1/swagger.yaml")).ReplaceLineEndings("\n").TrimEnd() + "\n";
        var path = Path.Combine(ApiFactory.RepositoryRoot, "openapi.yaml");

        if (Environment.GetEnvironmentVariable("UPDATE_OPENAPI") == "1")
        {
            await File.WriteAllTextAsync(path, served);
            return;
        }

        var committed = File.Exists(path) ? (await File.ReadAllTextAsync(path)).ReplaceLineEndings("\n") : "";
        committed.Should().Be(served, because: $"openapi.yaml is stale; run `make openapi` and review the diff:\n{FirstDifference(committed, served)}");
    }

    private static string FirstDifference(string committed, string served)
    {
        var a = committed.Split('\n');
        var b = served.Split('\n');
        var i = 0;
        while (i < a.Length && i < b.Length && a[i] == b[i]) i++;
        var from = Math.Max(0, i - 3);
        string Slice(string[] lines) => string.Join("\n", lines.Skip(from).Take(8).Select((l, k) => $"{from + k + 1,5}: {l}"));
        return $"first difference at line {i + 1}\n--- openapi.yaml\n{Slice(a)}\n+++ served\n{Slice(b)}";
    }
}
