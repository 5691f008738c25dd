// @vitest-environment jsdom
/**
 * The mail sanitiser (model/mailHtml.ts) against hostile HTML: what a customer's (or a
 * forger's) mail may carry must never run, submit, load, or cover the desk.
 */
import { describe, expect, it } from 'vitest';
import { BLOCKED_IMAGE, sanitizeMailHtml } from '../../renderer/src/model/mailHtml';

const clean = (html: string, images = false) => sanitizeMailHtml(html, { images });
const dom = (html: string): HTMLElement => {
  const div = document.createElement('div');
  div.innerHTML = html;
  return div;
};

describe('the mail sanitiser', () => {
  it('drops scripts, event handlers and javascript: links, keeping the words', () => {
    const { html } = clean(
      '<p onclick="steal()">Hej <b>Anna</b></p><script>alert(1)</script><img src=x onerror="alert(2)"><a href="javascript:alert(3)">klicka</a><a href=" JaVaScRiPt:alert(4)">två</a><body onload="alert(5)">',
    );
    expect(html).not.toMatch(/script|onerror|onclick|onload|javascript|alert/i);
    const el = dom(html);
    expect(el.textContent).toContain('Hej Anna');
    expect(el.textContent).toContain('klicka');
    for (const a of el.querySelectorAll('a')) expect(a.hasAttribute('href')).toBe(false);
  });

  it('drops svg and math with their content (script in svg, animate href)', () => {
    const { html } = clean('<svg><script>alert(1)</script><a xlink:href="javascript:alert(2)"><text>x</text></a><animate attributeName="href" to="javascript:alert(3)"/></svg><math><mi xlink:href="javascript:alert(4)">m</mi></math>ok');
    expect(html).not.toMatch(/svg|math|script|javascript|animate/i);
    expect(html).toContain('ok');
  });

  it('keeps no styles: no style attribute, no <style>, no class to borrow the desk\'s rules', () => {
    const { html } = clean(
      '<style>body{display:none}*{position:fixed}</style><div style="position:fixed;top:0;left:0;width:100vw;height:100vh;z-index:99999;background:url(https://track.example/p.gif)" class="overlay topbar">Betala här</div>',
    );
    expect(html).not.toMatch(/style|position|url\(|class|track\.example/i);
    expect(dom(html).textContent).toBe('Betala här');
  });

  it('blocks remote images (src, srcset, background, protocol-relative) and counts them', () => {
    const { html, blockedImages } = clean(
      '<img src="https://track.example/open.gif?u=1" alt="logo"><img src="//cdn.example/a.png"><img srcset="https://a.example/1x.png 1x" src="http://a.example/b.png"><table background="https://bg.example/t.png"><tr><td background="https://bg.example/c.png">x</td></tr></table><img src="cid:part1@mail">',
    );
    expect(html).not.toMatch(/track\.example|cdn\.example|a\.example|bg\.example|srcset|background=/);
    const imgs = [...dom(html).querySelectorAll('img')];
    expect(imgs).toHaveLength(4);
    for (const img of imgs) expect(img.getAttribute('src')).toBe(BLOCKED_IMAGE);
    expect(imgs[0]!.getAttribute('alt')).toBe('logo');
    expect(blockedImages).toBe(3);
  });

  it('shows remote images over https, without a referrer, only when asked for', () => {
    const { html, blockedImages } = clean('<img src="http://shop.example/logo.png">', true);
    const img = dom(html).querySelector('img')!;
    expect(img.getAttribute('src')).toBe('https://shop.example/logo.png');
    expect(img.getAttribute('referrerpolicy')).toBe('no-referrer');
    expect(blockedImages).toBe(0);
  });

  it('keeps images carried in the mail itself, but not a data: URL of another kind', () => {
    const png = 'data:image/png;base64,iVBORw0KGgo=';
    const { html } = clean(`<img src="${png}"><img src="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">`);
    const imgs = [...dom(html).querySelectorAll('img')];
    expect(imgs[0]!.getAttribute('src')).toBe(png);
    expect(imgs[1]?.getAttribute('src') ?? BLOCKED_IMAGE).toBe(BLOCKED_IMAGE);
  });

  it('drops forms and their controls, iframes, objects, embeds, meta refresh and base', () => {
    const { html } = clean(
      '<meta http-equiv="refresh" content="0;url=https://phish.example"><base href="https://phish.example/"><form action="https://phish.example/login" method="post">Lösenord: <input name="pw" type="password"><button formaction="https://x.example">Logga in</button></form><iframe src="https://phish.example"></iframe><object data="x.swf"></object><embed src="x.swf"><link rel="stylesheet" href="https://x.example/a.css">',
    );
    expect(html).not.toMatch(/meta|refresh|base|form|input|button|iframe|object|embed|link|phish|swf/i);
    expect(dom(html).textContent).toContain('Lösenord:');
  });

  it('opens links outside the desk, without telling the site where it came from', () => {
    const { html } = clean('<a href="https://softone.fi/ukk">UKK</a> <a href="mailto:tuki@softone.fi">posti</a> <a href="file:///etc/passwd">f</a> <a href="data:text/html,x">d</a>');
    const links = [...dom(html).querySelectorAll('a')];
    expect(links[0]!.getAttribute('href')).toBe('https://softone.fi/ukk');
    expect(links[0]!.getAttribute('target')).toBe('_blank');
    expect(links[0]!.getAttribute('rel')).toBe('noopener noreferrer');
    expect(links[1]!.getAttribute('href')).toBe('mailto:tuki@softone.fi');
    expect(links[2]!.hasAttribute('href')).toBe(false);
    expect(links[3]!.hasAttribute('href')).toBe(false);
  });

  it('drops ids and names that could clobber the page\'s globals, and media sources', () => {
    const { html } = clean('<img name="getElementById" id="note-input" src="data:image/gif;base64,R0lGODlh"><video src="https://v.example/a.mp4" autoplay></video><audio><source src="https://v.example/a.mp3"></audio>');
    expect(html).not.toMatch(/note-input|getElementById|v\.example/);
  });

  it('survives broken markup (mutation XSS attempts) without anything executable', () => {
    const { html } = clean('<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript><math><mtext><table><mglyph><style><img src=x onerror=alert(2)>');
    expect(html).not.toMatch(/onerror|alert/);
  });
});
