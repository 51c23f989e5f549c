using System.Buffers.Text;
using System.Text;
using Amnify.Api.Http;

namespace Amnify.UnitTests.Http;

public sealed class CursorKeyTests
{
    private static readonly string Id = Guid.CreateVersion7().ToString();

    private static string Raw(string json) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(json));

    [Fact]
    public void A_time_cursor_holds_only_the_round_trip_form_the_server_writes()
    {
        var at = new DateTimeOffset(2026, 12, 1, 12, 0, 0, TimeSpan.Zero).AddTicks(1234567);

        Cursor.IsValid(new Cursor(Cursor.Instant(at), Id).Encode(), CursorKey.Instant).Should().BeTrue();
        Cursor.IsValid(new Cursor("12:00", Id).Encode(), CursorKey.Instant).Should().BeFalse();
        Cursor.IsValid(new Cursor("2026-12-01", Id).Encode(), CursorKey.Instant).Should().BeFalse();
        Cursor.IsValid(new Cursor("Tuesday", Id).Encode(), CursorKey.Instant).Should().BeFalse();
    }

    [Theory]
    [InlineData("12", true)]
    [InlineData("-1", false)]
    [InlineData("1e3", false)]
    [InlineData("99999999999", false)]
    [InlineData(" 1", false)]
    public void A_number_cursor_holds_a_whole_number_in_range(string key, bool valid)
    {
        Cursor.IsValid(new Cursor(key, Id).Encode(), CursorKey.Number).Should().Be(valid);
    }

    [Fact]
    public void A_cursor_ordered_by_id_alone_has_an_empty_key()
    {
        Cursor.IsValid(new Cursor("", Id).Encode(), CursorKey.None).Should().BeTrue();
        Cursor.IsValid(new Cursor("x", Id).Encode(), CursorKey.None).Should().BeFalse();
    }

    [Theory]
    [InlineData("""{"Key":"a\u0000","Id":"x"}""")]
    [InlineData("""{"Key":"a","Id":"x\u0000"}""")]
    [InlineData("""{"Key":"\ud800","Id":"x"}""")]
    [InlineData("""{"Key":1,"Id":"x"}""")]
    [InlineData("""null""")]
    public void Text_postgresql_could_not_compare_is_not_a_cursor(string json)
    {
        Cursor.Decode(Raw(json)).Should().BeNull();
        Cursor.IsValid(Raw(json), guidIds: false).Should().BeFalse();
    }

    [Fact]
    public void A_name_cursor_keeps_the_name_as_stored_for_sql_to_fold()
    {
        var cursor = new Cursor("Éb 🚀", Id);

        Cursor.Decode(cursor.Encode())!.Key.Should().Be("Éb 🚀");
    }
}
