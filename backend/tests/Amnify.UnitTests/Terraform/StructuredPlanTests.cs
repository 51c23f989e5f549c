using System.Text.Json;
using Amnify.Api.Terraform;

namespace Amnify.UnitTests.Terraform;

public sealed class StructuredPlanTests
{
    private const string M = Redactor.Mask;

    private static StructuredPlan Read(string showJson, params string[] secrets) => StructuredPlan.Read(showJson, new Redactor(secrets));

    private static string Json(JsonElement? value) => value?.GetRawText() ?? "null";

    [Fact]
    public void An_update_lists_only_the_attributes_that_change_or_become_unknown()
    {
        var plan = Read("""
            { "resource_changes": [ { "address": "module.app.terraform_data.svc", "module_address": "module.app", "type": "terraform_data", "name": "svc",
                "change": { "actions": ["update"],
                  "before": { "id": "abc", "input": 3, "same": "x", "output": 3 },
                  "after": { "id": "abc", "input": 4, "same": "x" },
                  "after_unknown": { "output": true }, "before_sensitive": {}, "after_sensitive": {} } } ] }
            """);

        var change = plan.ResourceChanges.Should().ContainSingle().Subject;
        change.Should().BeEquivalentTo(new { Address = "module.app.terraform_data.svc", ModuleAddress = "module.app", Type = "terraform_data", Name = "svc", Action = "update" });
        change.Attributes.Select(a => a.Path).Should().Equal("input", "output");
        var input = change.Attributes[0];
        (Json(input.Before), Json(input.After), input.AfterUnknown, input.Sensitive).Should().Be(("3", "4", false, false));
        var output = change.Attributes[1];
        (Json(output.Before), Json(output.After), output.AfterUnknown).Should().Be(("3", "null", true));
    }

    [Fact]
    public void A_create_lists_every_attribute_and_a_delete_every_attribute_it_had()
    {
        var plan = Read("""
            { "resource_changes": [
                { "address": "a.new", "type": "a", "name": "new", "change": { "actions": ["create"], "before": null,
                  "after": { "input": { "name": "web", "ports": [80] } }, "after_unknown": { "id": true, "input": {} }, "after_sensitive": {} } },
                { "address": "a.gone", "type": "a", "name": "gone", "change": { "actions": ["delete"], "before": { "id": "1", "input": "x" }, "after": null,
                  "after_unknown": {}, "before_sensitive": {} } },
                { "address": "a.same", "type": "a", "name": "same", "change": { "actions": ["no-op"], "before": { "id": "2" }, "after": { "id": "2" } } },
                { "address": "a.swap", "type": "a", "name": "swap", "change": { "actions": ["delete", "create"], "before": { "id": "3" }, "after": {},
                  "after_unknown": { "id": true } } },
                { "address": "data.a.read", "type": "a", "name": "read", "change": { "actions": ["read"], "before": null, "after": { "q": "v" } } } ] }
            """);

        plan.ResourceChanges.Select(r => r.Action).Should().Equal("create", "delete", "no-op", "replace", "read");
        var created = plan.ResourceChanges[0].Attributes;
        created.Select(a => (a.Path, Json(a.Before), Json(a.After), a.AfterUnknown))
            .Should().Equal(("id", "null", "null", true), ("input", "null", """{"name":"web","ports":[80]}""", false));
        plan.ResourceChanges[1].Attributes.Select(a => (a.Path, Json(a.Before), Json(a.After))).Should().Equal(("id", "\"1\"", "null"), ("input", "\"x\"", "null"));
        plan.ResourceChanges[2].Attributes.Should().BeEmpty();
        plan.ResourceChanges[3].Attributes.Should().ContainSingle(a => a.Path == "id" && a.AfterUnknown);
        plan.ResourceChanges[4].Attributes.Should().ContainSingle(a => a.Path == "q");
    }

    [Fact]
    public void A_sensitive_value_is_never_kept_whole_or_in_part()
    {
        const string showJson = """
            { "resource_changes": [ { "address": "a.db", "type": "a", "name": "db", "change": { "actions": ["update"],
                "before": { "password": "old-Secret-1", "tags": { "owner": "ops", "key": "old-Key-2" }, "list": ["a", "old-Item-3"] },
                "after": { "password": "new-Secret-1", "tags": { "owner": "dev", "key": "new-Key-2" }, "list": ["b", "new-Item-3"] },
                "after_unknown": {},
                "before_sensitive": { "password": true, "tags": { "key": true }, "list": [false, true] },
                "after_sensitive": { "password": true, "tags": { "key": true }, "list": [false, true] } } } ],
              "output_changes": {
                "conn": { "actions": ["update"], "before": "old-Conn-4", "after": "new-Conn-4", "after_unknown": false, "before_sensitive": true, "after_sensitive": true },
                "plain": { "actions": ["create"], "before": null, "after": "visible", "after_unknown": false, "before_sensitive": false, "after_sensitive": false } } }
            """;

        var plan = Read(showJson);

        var attributes = plan.ResourceChanges[0].Attributes.ToDictionary(a => a.Path);
        attributes["password"].Should().BeEquivalentTo(new { Before = (JsonElement?)null, After = (JsonElement?)null, Sensitive = true });
        Json(attributes["tags"].After).Should().Be($$"""{"owner":"dev","key":"{{M}}"}""");
        Json(attributes["list"].Before).Should().Be($"""["a","{M}"]""");
        var outputs = plan.OutputChanges.ToDictionary(o => o.Name);
        outputs["conn"].Should().BeEquivalentTo(new { Action = "update", Before = (JsonElement?)null, After = (JsonElement?)null, Sensitive = true });
        Json(outputs["plain"].After).Should().Be("\"visible\"");
        var stored = JsonSerializer.Serialize(plan, JsonSerializerOptions.Web);
        foreach (var secret in new[] { "Secret-1", "Key-2", "Item-3", "Conn-4" }) stored.Should().NotContain(secret);
    }

    [Fact]
    public void Known_secrets_are_redacted_in_addresses_keys_and_leaves_that_Terraform_does_not_mark()
    {
        var plan = Read("""
            { "resource_changes": [ { "address": "a.k[\"tok-12345\"]", "type": "a", "name": "k", "change": { "actions": ["create"],
                "after": { "input": { "tok-12345": "x", "echo": "pre-tok-12345-post", "pin": 777123 } }, "after_unknown": {} } } ] }
            """, "tok-12345", "777123");

        var change = plan.ResourceChanges[0];
        change.Address.Should().Be($"a.k[\"{M}\"]");
        Json(change.Attributes[0].After).Should().Be($$"""{"{{M}}":"x","echo":"pre-{{M}}-post","pin":"{{M}}"}""");
    }

    [Fact]
    public void A_plan_without_changes_or_outputs_is_empty()
    {
        var plan = Read("""{ "format_version": "1.2" }""");

        plan.ResourceChanges.Should().BeEmpty();
        plan.OutputChanges.Should().BeEmpty();
    }
}
