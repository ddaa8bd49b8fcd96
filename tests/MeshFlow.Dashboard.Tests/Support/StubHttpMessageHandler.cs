namespace MeshFlow.Dashboard.Tests.Support;

/// <summary>Answers every request with <paramref name="respond"/>, which may also throw like a failing network.</summary>
internal sealed class StubHttpMessageHandler(Func<HttpRequestMessage, HttpResponseMessage> respond) : HttpMessageHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
        Task.FromResult(respond(request));
}
