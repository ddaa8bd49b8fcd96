using System.Text;
using MeshFlow.Events;
using MeshFlow.Runtime;

namespace MeshFlow.Tests.Runtime;

public sealed class RunEventEnvelopeTests
{
    private const string Json = """{"kind":"run_end","text":"naïve ✓"}""";

    [Fact]
    public void Json_relayed_as_utf8_bytes_is_kept_as_bytes_and_decoded_only_when_asked_for()
    {
        var bytes = Encoding.UTF8.GetBytes(Json);
        var envelope = new RunEventEnvelope(4, MeshEventKinds.RunEnd, bytes);

        Assert.True(envelope.TryGetUtf8Json(out var utf8));
        Assert.True(utf8.SequenceEqual(bytes));
        Assert.Equal(Json, envelope.Json);
        Assert.True(envelope.IsTerminal);
    }

    [Fact]
    public void Json_serialized_as_a_string_has_no_bytes_to_relay()
    {
        var envelope = new RunEventEnvelope(4, MeshEventKinds.RunEnd, Json);

        Assert.False(envelope.TryGetUtf8Json(out var utf8));
        Assert.True(utf8.IsEmpty);
        Assert.Equal(Json, envelope.Json);
    }

    [Fact]
    public void Envelopes_are_equal_by_sequence_kind_and_json_whatever_form_the_json_came_in()
    {
        var fromBytes = new RunEventEnvelope(4, MeshEventKinds.RunEnd, Encoding.UTF8.GetBytes(Json));
        var fromString = new RunEventEnvelope(4, MeshEventKinds.RunEnd, Json);

        Assert.Equal(fromString, fromBytes);
        Assert.Equal(fromString.GetHashCode(), fromBytes.GetHashCode());
        Assert.NotEqual(fromString, fromBytes with { Seq = 5 });
        Assert.NotEqual(fromString, new RunEventEnvelope(4, MeshEventKinds.RunEnd, Json.Replace("✓", "x", StringComparison.Ordinal)));
        Assert.NotEqual(fromString, new RunEventEnvelope(4, MeshEventKinds.StepEnd, Json));
    }

    [Fact]
    public void A_copy_with_another_sequence_number_keeps_the_json_bytes()
    {
        var original = new RunEventEnvelope(4, MeshEventKinds.RunEnd, Encoding.UTF8.GetBytes(Json));

        var renumbered = original with { Seq = 9 };

        Assert.Equal(9, renumbered.Seq);
        Assert.True(renumbered.TryGetUtf8Json(out var utf8));
        Assert.Equal(Json, Encoding.UTF8.GetString(utf8));
    }

    [Fact]
    public void Missing_kind_or_json_is_refused()
    {
        Assert.Throws<ArgumentNullException>(() => new RunEventEnvelope(1, null!, Json));
        Assert.Throws<ArgumentNullException>(() => new RunEventEnvelope(1, MeshEventKinds.RunEnd, (string)null!));
        Assert.Throws<ArgumentNullException>(() => new RunEventEnvelope(1, MeshEventKinds.RunEnd, (byte[])null!));
    }
}
