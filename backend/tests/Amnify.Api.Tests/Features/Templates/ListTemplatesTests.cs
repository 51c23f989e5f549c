using System.Net;
using Amnify.Api.Features.Templates;
using Amnify.Api.Http;

namespace Amnify.Api.Tests.Features.Templates;

[Collection(nameof(TemplatesCollection))]
public sealed class ListTemplatesTests(ApiFactory factory) : TemplatesTestBase(factory)
{
    [Fact]
    public async Task The_catalogue_filters_by_category_and_provider()
    {
        var client = api.CreateClient();
        await Sync(client);

        var page = await (await client.GetAsync("/api/v1/templates?provider=azure&category=database")).Read<Page<Template>>();

        page.Items.Should().NotBeEmpty().And.OnlyContain(t => t.Category == "database" && t.Provider == Amnify.Api.Features.Providers.CloudProvider.Azure);
        (await client.GetAsync("/api/v1/templates?category=magic")).StatusCode.Should().Be(HttpStatusCode.BadRequest);
    }
}
