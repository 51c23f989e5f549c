using Amnify.Api.Terraform;

namespace Amnify.UnitTests.Engine;

public sealed class PlanParserTests
{
    [Fact]
    public void Actions_are_counted_and_listed_and_no_ops_left_out()
    {
        var summary = PlanParser.Parse("""
            { "resource_changes": [
                { "address": "a.new", "change": { "actions": ["create"] } },
                { "address": "a.same", "change": { "actions": ["no-op"] } },
                { "address": "a.edit", "change": { "actions": ["update"] } },
                { "address": "a.swap", "change": { "actions": ["delete", "create"] } },
                { "address": "a.gone", "change": { "actions": ["delete"] } } ],
              "variables": { "password": { "value": "do-not-keep" } } }
            """);

        summary.Should().BeEquivalentTo(new { Add = 1, Change = 1, Destroy = 1, Replace = 1 });
        summary.Resources.Select(r => r.Address).Should().Equal("a.new", "a.edit", "a.swap", "a.gone");
        summary.ToString().Should().NotContain("do-not-keep");
    }

    [Fact]
    public void The_error_is_pulled_out_without_box_drawing()
    {
        var error = PlanParser.ExtractError(["$ terraform plan", "╷", "│ Error: Duplicate object key", "│ ", "│   on main.tf line 3:", "╵"]);

        error.Should().Be("Error: Duplicate object key\non main.tf line 3:");
    }

    [Fact]
    public void Secrets_are_masked_longest_first()
    {
        var redactor = new Redactor(["pass", "password123", "ab", null]);

        redactor.Redact("password123 then pass then ab").Should().Be($"{Redactor.Mask} then {Redactor.Mask} then ab");
    }
}
