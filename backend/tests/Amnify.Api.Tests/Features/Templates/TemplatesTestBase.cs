using System.Net;
using Amnify.Api.Features.Templates;

namespace Amnify.Api.Tests.Features.Templates;

[CollectionDefinition(nameof(TemplatesCollection))]
public sealed class TemplatesCollection : ICollectionFixture<ApiFactory>;

/// <summary>What the Templates use-case tests share: one database per area (the collection), a client and helpers.</summary>
public abstract class TemplatesTestBase(ApiFactory api) : IDisposable
{
    protected readonly ApiFactory api = api;

    protected readonly TemplateFolder folder = new();

    protected HttpClient ClientFor(string source) =>
        api.WithWebHostBuilder(b => b.UseSetting("Templates:Source", source)).CreateClient();

    protected static async Task<TemplateSyncResult> Sync(HttpClient client)
    {
        var response = await client.PostEmpty("/api/v1/templates/sync");
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        return await response.Read<TemplateSyncResult>();
    }

    protected static object Variable(string name, string type = "string", bool required = false) =>
        new { name, type, description = name, required };

    public void Dispose() => folder.Dispose();
}
