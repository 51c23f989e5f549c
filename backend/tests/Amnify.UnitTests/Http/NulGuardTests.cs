using System.Text.Json;
using Amnify.Api.Http;

namespace Amnify.UnitTests.Http;

public sealed class NulGuardTests
{
    private sealed record Body(string Name, string[]? Tags, Dictionary<string, string>? Map, Dictionary<string, JsonElement>? Values);

    private static readonly JsonSerializerOptions Json = Create();

    private static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions();
        HttpPlumbing.ConfigureJson(options);
        return options;
    }

    [Theory]
    [InlineData("""{"name":"a\u0000"}""", "$.name")]
    [InlineData("""{"name":"a","tags":["ok","\u0000"]}""", "$.tags[1]")]
    [InlineData("""{"name":"a","map":{"K":"\u0000"}}""", "$.map.K")]
    [InlineData("""{"name":"a","values":{"v":[{"deep":"\u0000"}]}}""", "$.values.v")]
    [InlineData("""{"name":"a","values":{"v":"\ud800"}}""", "$.values.v")]
    public void A_nul_or_lone_surrogate_in_a_body_fails_on_its_path(string json, string path)
    {
        var read = () => JsonSerializer.Deserialize<Body>(json, Json);

        read.Should().Throw<NulGuard.UnstorableTextException>().Which.Path.Should().Be(path);
    }

    [Fact]
    public void Ordinary_text_and_values_read_and_write_unchanged()
    {
        const string json = """{"name":"Éb 🚀","tags":["x"],"map":{"K":"v"},"values":{"v":{"a":[1,"two",null]}}}""";

        var body = JsonSerializer.Deserialize<Body>(json, Json)!;

        body.Name.Should().Be("Éb 🚀");
        JsonSerializer.Serialize(body, Json).Should().Be(json.Replace("Éb 🚀", "\\u00C9b \\uD83D\\uDE80"));
    }
}
