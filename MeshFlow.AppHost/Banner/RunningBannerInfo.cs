namespace MeshFlow.AppHost.Banner;

/// <summary>Where everything is once the api is up, and the key to call it with.</summary>
/// <param name="Api">The api's URL.</param>
/// <param name="Dashboard">MeshFlow's dashboard.</param>
/// <param name="Aspire">The Aspire dashboard; null when it does not run.</param>
/// <param name="ApiKey">The development key; null when the keys come from <c>MESHFLOW_API_KEYS</c>.</param>
/// <param name="KeyFile">The file that keeps the development key; null with it.</param>
public sealed record RunningBannerInfo(string Api, string Dashboard, string? Aspire, string? ApiKey, string? KeyFile);
