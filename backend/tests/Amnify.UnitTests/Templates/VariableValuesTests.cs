using System.Text.Json;
using Amnify.Api.Features.Templates;

namespace Amnify.UnitTests.Templates;

public sealed class VariableValuesTests
{
    private static readonly TemplateVariable[] Declared =
    [
        new() { Name = "name", Type = "string", Description = "", Required = true, Sensitive = false },
        new() { Name = "size", Type = "string", Description = "", Required = false, Sensitive = false,
                Default = JsonSerializer.SerializeToElement("small"), Options = [JsonSerializer.SerializeToElement("small"), JsonSerializer.SerializeToElement("large")] },
        new() { Name = "replicas", Type = "number", Description = "", Required = true, Sensitive = false, Default = JsonSerializer.SerializeToElement(2) },
        new() { Name = "public", Type = "bool", Description = "", Required = false, Sensitive = false },
        new()
        {
            Name = "rules", Type = "list(object)", Description = "", Required = false, Sensitive = false, MinItems = 1,
            Fields = [new() { Name = "port", Type = "number", Description = "", Required = true, Sensitive = false }],
        },
    ];

    private static Dictionary<string, JsonElement> Values(object values) =>
        JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(JsonSerializer.Serialize(values))!;

    [Fact]
    public void Valid_values_have_no_problem_and_defaults_stand_in_for_required_ones()
    {
        VariableValues.Check(Declared, Values(new { name = "x", size = "large", @public = true, rules = new[] { new { port = 80 } } }))
            .Should().BeEmpty();
    }

    [Fact]
    public void Each_problem_is_named_by_its_path()
    {
        var problems = VariableValues.Check(Declared, Values(new
        {
            size = "huge", replicas = "two", @public = "yes", rules = new object[] { new { port = "80" }, new { }, 5 }, extra = 1,
        }));

        problems.Select(p => p.Field).Should().BeEquivalentTo(
            ["name", "size", "replicas", "public", "rules[0].port", "rules[1].port", "rules[2]", "extra"]);
    }

    [Fact]
    public void A_list_shorter_than_min_items_is_refused()
    {
        VariableValues.Check(Declared, Values(new { name = "x", rules = Array.Empty<object>() }))
            .Should().ContainSingle(p => p.Field == "rules" && p.Message.Contains("at least 1"));
    }

    [Fact]
    public void Missing_lists_required_variables_without_default_only()
    {
        VariableValues.Missing(Declared, ["size"]).Should().Equal("name");
    }
}
