using System.Text.Json;
using System.Text.Json.Nodes;
using Amnify.Api.Terraform;

namespace Amnify.UnitTests.Terraform;

public sealed class OutputMaskingTests
{
    private const string M = Redactor.Mask;

    private static JsonNode Mask(string outputJson, params string[] secrets) =>
        JsonNode.Parse(OutputMasking.Mask(outputJson, new Redactor(secrets)))!;

    [Fact]
    public void A_sensitive_output_keeps_its_name_but_not_its_value()
    {
        var outputs = Mask("""{"conn":{"sensitive":true,"type":"string","value":"postgres://x"},"n":{"sensitive":false,"type":"number","value":3}}""");

        outputs.ToJsonString().Should().Be($$$"""{"conn":{"sensitive":true,"value":"{{{M}}}"},"n":{"sensitive":false,"value":3}}""");
    }

    [Theory]
    [InlineData("a+b+c")]
    [InlineData("""q"uo\te""")]
    [InlineData("<&>é")]
    public void A_secret_in_a_string_leaf_is_masked_whatever_it_holds(string secret)
    {
        var json = JsonSerializer.Serialize(new { url = new { sensitive = false, value = $"https://{secret}@host" } });

        var outputs = Mask(json, secret);

        outputs["url"]!["value"]!.GetValue<string>().Should().Be($"https://{M}@host");
    }

    [Fact]
    public void A_non_string_leaf_equal_to_a_secret_becomes_a_mask_and_the_json_stays_valid()
    {
        var outputs = Mask("""
            {"pin":{"sensitive":false,"type":"number","value":123456789},
             "obj":{"sensitive":false,"value":{"user":"u-admin","port":123456789,"tls":true,"list":[1,"u-admin"]}}}
            """, "123456789", "u-admin");

        outputs["pin"]!["value"]!.GetValue<string>().Should().Be(M);
        outputs["obj"]!["value"]!.ToJsonString().Should().Be($$"""{"user":"{{M}}","port":"{{M}}","tls":true,"list":[1,"{{M}}"]}""");
    }

    [Fact]
    public void Map_keys_are_redacted_and_two_masked_alike_stay_two()
    {
        var outputs = Mask("""{"m":{"sensitive":false,"value":{"key-one":1,"key-two":2,"plain":3}}}""", "key-one", "key-two");

        outputs["m"]!["value"]!.ToJsonString().Should().Be($$"""{"{{M}}":1,"{{M}} (2)":2,"plain":3}""");
    }

    [Fact]
    public void Null_values_and_no_secrets_leave_outputs_as_they_are()
    {
        var outputs = Mask("""{"a":{"sensitive":false,"value":null},"b":{"sensitive":false,"value":["x",1.5,false]}}""");

        outputs.ToJsonString().Should().Be("""{"a":{"sensitive":false,"value":null},"b":{"sensitive":false,"value":["x",1.5,false]}}""");
    }

    [Fact]
    public void A_NUL_in_an_output_is_replaced_so_the_run_can_store_it()
    {
        var outputs = Mask("""{"raw":{"sensitive":false,"type":"string","value":"a\u0000b"},"m":{"sensitive":false,"value":{"k\u0000":"v"}}}""");

        outputs["raw"]!["value"]!.GetValue<string>().Should().Be("a\uFFFDb");
        outputs["m"]!["value"]!.AsObject().Select(kv => kv.Key).Should().Equal("k\uFFFD");
        outputs.ToJsonString().Should().NotContain("\\u0000");
    }
}
