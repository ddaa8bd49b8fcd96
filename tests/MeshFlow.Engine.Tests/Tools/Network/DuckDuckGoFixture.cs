namespace MeshFlow.Tests.Tools.Network;

/// <summary>
/// A results page that reproduces the markup of DuckDuckGo's HTML endpoint (html.duckduckgo.com/html/): the search
/// form, an ad block (<c>result--ad</c>, linking through <c>duckduckgo.com/y.js</c>), web results whose title, URL and
/// snippet links go through DuckDuckGo's <c>//duckduckgo.com/l/?uddg=&lt;encoded url&gt;&amp;rut=…</c> redirect, and
/// the "next page" form. The first organic result's target is given, so tests can point it at a local page.
/// </summary>
internal static class DuckDuckGoFixture
{
    public const string SecondUrl = "https://en.wikipedia.org/wiki/Lighthouse_of_Alexandria";
    public const string ThirdUrl = "https://www.britannica.com/topic/lighthouse-of-Alexandria";

    public static string Page(string query, string firstUrl)
    {
        var first = Uri.EscapeDataString(firstUrl);
        var second = Uri.EscapeDataString(SecondUrl);
        var third = Uri.EscapeDataString(ThirdUrl);
        var q = System.Net.WebUtility.HtmlEncode(query);
        return $$"""
            <!DOCTYPE html PUBLIC "-//W3C//DTD HTML 4.01 Transitional//EN" "http://www.w3.org/TR/html4/loose.dtd">
            <!--[if IE 6]><html class="ie6" xmlns="http://www.w3.org/1999/xhtml"><![endif]-->
            <html xmlns="http://www.w3.org/1999/xhtml">
            <head>
              <meta http-equiv="content-type" content="text/html; charset=UTF-8">
              <meta name="viewport" content="width=device-width, initial-scale=1.0, maximum-scale=3.0, user-scalable=1" />
              <meta name="referrer" content="origin" />
              <title>{{q}} at DuckDuckGo</title>
              <link title="DuckDuckGo (HTML)" type="application/opensearchdescription+xml" rel="search" href="//duckduckgo.com/opensearch_html_v2.xml" />
              <link href="//duckduckgo.com/favicon.ico" rel="shortcut icon" />
              <link rel="stylesheet" media="handheld, all" href="//duckduckgo.com/dist/h.9c4a6c1e.css" type="text/css"/>
            </head>
            <body class="body--html">
              <a name="top" id="top"></a>
              <form action="/html/" method="post">
                <input type="text" name="state_hidden" id="state_hidden" />
              </form>
              <div>
                <div class="site-wrapper-border"></div>
                <div id="header" class="header cw header--html">
                  <a title="DuckDuckGo" href="/html/" class="header__logo-wrap"></a>
                  <form name="x" class="header__form" action="/html/" method="post">
                    <div class="search search--header">
                      <input name="q" autocomplete="off" class="search__input" id="search_form_input_homepage" type="text" value="{{q}}" />
                      <input name="b" id="search_button_homepage" class="search__button search__button--html" value="" title="Search" alt="Search" type="submit" />
                    </div>
                    <div class="frm__select"><select class="" name="kl"><option value="" >All Regions</option><option value="wt-wt">No region</option></select></div>
                    <input type="hidden" name="df" value="" />
                  </form>
                </div>
                <div>
                  <div class="serp__results">
                    <div id="links" class="results">
                      <div class="result results_links results_links_deep result--ad ">
                        <div class="links_main links_deep result__body">
                          <h2 class="result__title">
                            <a rel="nofollow" class="result__a" href="https://duckduckgo.com/y.js?ad_domain=travel.example&amp;ad_provider=bingv7aa&amp;ad_type=txad&amp;u3=https%3A%2F%2Fwww.bing.com%2Faclick%3Fld%3De8">Cheap Flights To Alexandria - Book Now</a>
                          </h2>
                          <div class="result__extras">
                            <div class="result__extras__url">
                              <a class="result__url" href="https://duckduckgo.com/y.js?ad_domain=travel.example">travel.example</a>
                              <span class="badge--ad">Ad</span>
                            </div>
                          </div>
                          <a class="result__snippet" href="https://duckduckgo.com/y.js?ad_domain=travel.example">Compare flights and save. Free cancellation on most bookings.</a>
                          <div class="clear"></div>
                        </div>
                      </div>

                      <div class="result results_links results_links_deep web-result ">
                        <div class="links_main links_deep result__body">
                          <h2 class="result__title">
                            <a rel="nofollow" class="result__a" href="//duckduckgo.com/l/?uddg={{first}}&amp;rut=4f0c6a1e7b2d9b2f8a3c">The <b>Pharos</b> of Alexandria: how the lighthouse worked</a>
                          </h2>
                          <div class="result__extras">
                            <div class="result__extras__url">
                              <span class="result__icon"><a rel="nofollow" href="//duckduckgo.com/l/?uddg={{first}}&amp;rut=4f0c6a1e7b2d9b2f8a3c"><img class="result__icon__img" width="16" height="16" alt="" src="//external-content.duckduckgo.com/ip3/example.org.ico" name="i15" /></a></span>
                              <a class="result__url" href="//duckduckgo.com/l/?uddg={{first}}&amp;rut=4f0c6a1e7b2d9b2f8a3c">example.org/pharos</a>
                            </div>
                          </div>
                          <a class="result__snippet" href="//duckduckgo.com/l/?uddg={{first}}&amp;rut=4f0c6a1e7b2d9b2f8a3c">The <b>Pharos</b> stood on the island of Pharos for some 1,500 years; its fire was reflected by a bronze mirror.</a>
                          <div class="clear"></div>
                        </div>
                      </div>

                      <div class="result results_links results_links_deep web-result ">
                        <div class="links_main links_deep result__body">
                          <h2 class="result__title">
                            <a rel="nofollow" class="result__a" href="//duckduckgo.com/l/?uddg={{second}}&amp;rut=9d1e0b7c2a4f6e8d1c3b">Lighthouse of Alexandria - Wikipedia</a>
                          </h2>
                          <div class="result__extras">
                            <div class="result__extras__url">
                              <a class="result__url" href="//duckduckgo.com/l/?uddg={{second}}&amp;rut=9d1e0b7c2a4f6e8d1c3b">en.wikipedia.org/wiki/Lighthouse_of_Alexandria</a>
                            </div>
                          </div>
                          <a class="result__snippet" href="//duckduckgo.com/l/?uddg={{second}}&amp;rut=9d1e0b7c2a4f6e8d1c3b">The Lighthouse of Alexandria, sometimes called the <b>Pharos</b> of Alexandria, was a lighthouse built by the Ptolemaic Kingdom.</a>
                          <div class="clear"></div>
                        </div>
                      </div>

                      <div class="result results_links results_links_deep web-result ">
                        <div class="links_main links_deep result__body">
                          <h2 class="result__title">
                            <a rel="nofollow" class="result__a" href="//duckduckgo.com/l/?uddg={{third}}&amp;rut=2b7e151628aed2a6abf7">Lighthouse of Alexandria | History, Location, &amp; Facts | Britannica</a>
                          </h2>
                          <a class="result__snippet" href="//duckduckgo.com/l/?uddg={{third}}&amp;rut=2b7e151628aed2a6abf7">One of the Seven Wonders of the World, completed about 280 BCE.</a>
                          <div class="clear"></div>
                        </div>
                      </div>

                      <div class="nav-link">
                        <form action="/html/" method="post">
                          <input type="submit" class="btn btn--alt" value="Next" />
                          <input type="hidden" name="q" value="{{q}}" />
                          <input type="hidden" name="s" value="10" />
                          <input type="hidden" name="nextParams" value="" />
                          <input type="hidden" name="v" value="l" />
                          <input type="hidden" name="o" value="json" />
                          <input type="hidden" name="dc" value="11" />
                          <input type="hidden" name="api" value="d.js" />
                          <input type="hidden" name="vqd" value="4-1234567890123456789012345678901234567" />
                        </form>
                      </div>
                      <div class=" feedback-btn"><a rel="nofollow" href="//duckduckgo.com/feedback.html" title="Feedback">Feedback</a></div>
                      <div class="clear"></div>
                    </div>
                  </div>
                </div>
              </div>
              <img src="//duckduckgo.com/t/sl_h"/>
            </body>
            </html>
            """;
    }

    /// <summary>DuckDuckGo's page when nothing matches.</summary>
    public const string NoResults = """
        <html><head><title>zzqxj at DuckDuckGo</title></head><body class="body--html">
        <div class="serp__results"><div id="links" class="results">
          <div class="result results_links results_links_deep result--no-result">
            <div class="no-results">No results.</div>
          </div>
        </div></div></body></html>
        """;
}
