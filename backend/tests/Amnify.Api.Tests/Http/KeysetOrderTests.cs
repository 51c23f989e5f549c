using System.Net;
using System.Text;
using System.Text.Json;
using Amnify.Api.Tests.Features.Templates;

namespace Amnify.Api.Tests.Http;

[CollectionDefinition(nameof(KeysetOrderCollection))]
public sealed class KeysetOrderCollection : ICollectionFixture<ApiFactory>;

/// <summary>
/// Every list that pages by name, paged one row at a time through names that begin with non-ASCII capitals,
/// ß, an emoji and characters beyond the BMP: every row appears exactly once, in the documented order
/// (ASCII letters folded, then UTF-8 byte order).
/// </summary>
[Collection(nameof(KeysetOrderCollection))]
public sealed class KeysetOrderTests(ApiFactory api)
{
    private readonly HttpClient client = api.CreateClient();
    private readonly string tag = Guid.NewGuid().ToString("N")[..8];

    private static readonly string[] Starts = ["Éb", "Öc", "ß", "🚀", "～", "alpha", "Beta", "éa", "zulu", "Zeta", "_x", "10", "ÉA"];

    private string[] Names => Starts.Select(s => $"{s} {tag}").ToArray();

    /// <summary>The order NameOrder documents, computed independently: ASCII letters folded, then UTF-8 bytes.</summary>
    private static readonly Comparer<string> Documented = Comparer<string>.Create((a, b) =>
        Encoding.UTF8.GetBytes(FoldAscii(a)).AsSpan().SequenceCompareTo(Encoding.UTF8.GetBytes(FoldAscii(b))));

    private static string FoldAscii(string s) => string.Concat(s.Select(c => c is >= 'A' and <= 'Z' ? (char)(c + 32) : c));

    /// <summary>Pages through <paramref name="url"/> one row at a time; answers each row's (id, name) in the order served.</summary>
    private async Task<List<(string Id, string Name)>> PageThrough(string url, string nameField = "name")
    {
        var rows = new List<(string, string)>();
        string? cursor = null;
        do
        {
            var response = await client.GetAsync($"{url}{(url.Contains('?') ? '&' : '?')}limit=1{(cursor is null ? "" : $"&cursor={cursor}")}");
            response.StatusCode.Should().Be(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
            var page = await response.Read<JsonElement>();
            rows.AddRange(page.GetProperty("items").EnumerateArray()
                .Select(i => (i.GetProperty("id").GetString()!, i.GetProperty(nameField).GetString()!)));
            cursor = page.GetProperty("nextCursor").GetString();
            rows.Count.Should().BeLessThan(500, "paging must end");
        } while (cursor is not null);
        return rows;
    }

    private async Task ShouldPageEveryRowOnceInOrder(string url, IReadOnlyCollection<string> created, string nameField = "name")
    {
        var paged = await PageThrough(url, nameField);
        var whole = (await (await client.GetAsync($"{url}{(url.Contains('?') ? '&' : '?')}limit=200")).Read<JsonElement>())
            .GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetString()).ToList();

        paged.Select(r => r.Id).Should().OnlyHaveUniqueItems().And.Equal(whole, "paging one by one serves the rows of one big page");
        paged.Select(r => r.Name).Should().Contain(created);
        paged.Select(r => r.Name).Should().BeInAscendingOrder(Documented);
    }

    [Fact]
    public async Task Projects_page_through_every_name_once_and_search_folds_like_the_order()
    {
        foreach (var name in Names)
            (await client.PostJson("/api/v1/projects", new { provider = "gcp", name })).StatusCode.Should().Be(HttpStatusCode.Created);

        await ShouldPageEveryRowOnceInOrder($"/api/v1/projects?provider=gcp&q={tag}", Names);
        var found = await PageThrough($"/api/v1/projects?q={Uri.EscapeDataString($"Éb {tag}")}");
        found.Select(r => r.Name).Should().Equal($"Éb {tag}");
    }

    [Fact]
    public async Task Cloud_environments_page_through_every_name_once()
    {
        foreach (var name in Names)
            (await client.PostJson("/api/v1/cloud-environments", new
            {
                provider = "azure", name, region = "westeurope", accountId = "sub-1",
                credentials = new Dictionary<string, string> { ["ARM_TOKEN"] = "t" },
            })).StatusCode.Should().Be(HttpStatusCode.Created);

        await ShouldPageEveryRowOnceInOrder($"/api/v1/cloud-environments?q={tag}", Names);
    }

    [Fact]
    public async Task Pipelines_page_through_every_name_once()
    {
        foreach (var name in Names)
            (await client.PostJson("/api/v1/pipelines", new { provider = "aws", name })).StatusCode.Should().Be(HttpStatusCode.Created);

        await ShouldPageEveryRowOnceInOrder($"/api/v1/pipelines?provider=aws&q={tag}", Names);
    }

    [Fact]
    public async Task Deployments_page_through_every_name_once()
    {
        await client.SyncExamples();
        var project = await client.Project();
        var environment = await client.Environment();
        foreach (var name in Names)
            (await client.PostJson("/api/v1/deployments", new
            {
                projectId = project.Id, templateId = "aws-network", cloudEnvironmentId = environment.Id, name,
                variables = Seed.ExampleValues("network"),
            })).StatusCode.Should().Be(HttpStatusCode.Created);

        await ShouldPageEveryRowOnceInOrder($"/api/v1/deployments?q={tag}", Names);
    }

    [Fact]
    public async Task Templates_page_through_every_name_once()
    {
        using var folder = new TemplateFolder();
        foreach (var (name, i) in Names.Select((n, i) => (n, i)))
            folder.Add("gcp", $"t{i}", new
            {
                id = $"keyset-{tag}-{i}", name, description = $"keyset {tag}", category = "infrastructure",
                cloud_provider = "gcp", iac_type = "terraform",
            }, "resource \"terraform_data\" \"x\" {}\n");
        var sync = await api.WithWebHostBuilder(b => b.UseSetting("Templates:Source", folder.Root)).CreateClient()
            .PostEmpty("/api/v1/templates/sync");
        sync.StatusCode.Should().Be(HttpStatusCode.OK);

        await ShouldPageEveryRowOnceInOrder($"/api/v1/templates?q={tag}", Names);
    }

    [Fact]
    public async Task Users_page_through_every_email_once()
    {
        var emails = Starts.Select(s => $"{s}-{tag}@example.test").ToArray();
        foreach (var email in emails)
            (await client.PostJson("/api/v1/users", new { email, displayName = email, role = "viewer", password = "correct-horse-battery" }))
                .StatusCode.Should().Be(HttpStatusCode.Created);

        await ShouldPageEveryRowOnceInOrder("/api/v1/users", emails, "email");
    }
}
