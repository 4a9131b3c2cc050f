import { Fragment, type ReactNode } from "react";

/**
 * A small, safe Markdown subset rendered as React elements (never as HTML strings, so nothing in a
 * model's answer can inject markup or scripts): paragraphs, line breaks, **bold**, *italic*, `code`,
 * fenced code blocks, "-"/"*" and "1." lists, and [links](https://...) with http(s)/mailto targets only.
 * Citation markers like [1] become links to the answer's sources when `citations` are given.
 */
export interface MarkdownProps {
  text: string;
  /** Citation numbers the answer may refer to, e.g. [1, 2]. */
  citations?: number[];
  /** Prefix for citation anchors (`#${prefix}-${n}`). */
  citationPrefix?: string;
}

const INLINE = /(\*\*[^*]+\*\*|\*[^*\s][^*]*\*|`[^`]+`|\[[^\]]+\]\([^)\s]+\)|\[\d+\])/g;

function safeHref(href: string): string | null {
  return /^(https?:|mailto:)/i.test(href) ? href : null;
}

function inline(text: string, props: MarkdownProps, key: string): ReactNode[] {
  const out: ReactNode[] = [];
  let last = 0;
  let i = 0;
  for (const match of text.matchAll(INLINE)) {
    const token = match[0];
    const at = match.index ?? 0;
    if (at > last) out.push(text.slice(last, at));
    const k = `${key}-${i++}`;
    if (token.startsWith("**")) out.push(<strong key={k}>{inline(token.slice(2, -2), props, k)}</strong>);
    else if (token.startsWith("`")) out.push(<code key={k}>{token.slice(1, -1)}</code>);
    else if (token.startsWith("*")) out.push(<em key={k}>{inline(token.slice(1, -1), props, k)}</em>);
    else if (/^\[\d+\]$/.test(token)) {
      const n = Number(token.slice(1, -1));
      if (props.citations?.includes(n))
        out.push(
          <sup key={k}>
            <a href={`#${props.citationPrefix ?? "aiw-cite"}-${n}`} aria-label={`Source ${n}`}>
              [{n}]
            </a>
          </sup>,
        );
      else out.push(token);
    } else {
      const [, label = "", href = ""] = /^\[([^\]]+)\]\(([^)\s]+)\)$/.exec(token) ?? [];
      const safe = safeHref(href);
      out.push(
        safe ? (
          <a key={k} href={safe} target="_blank" rel="noopener noreferrer nofollow">
            {label}
          </a>
        ) : (
          label
        ),
      );
    }
    last = at + token.length;
  }
  if (last < text.length) out.push(text.slice(last));
  return out;
}

function lines(text: string, props: MarkdownProps, key: string): ReactNode[] {
  return text.split("\n").flatMap((line, i) => {
    const parts = inline(line, props, `${key}-l${i}`);
    return i === 0 ? parts : [<br key={`${key}-br${i}`} />, ...parts];
  });
}

export function Markdown(props: MarkdownProps) {
  const blocks: ReactNode[] = [];
  const fence = props.text.split(/^```[^\n]*\n?/m);
  fence.forEach((part, fi) => {
    if (fi % 2 === 1) {
      blocks.push(
        <pre key={`f${fi}`}>
          <code>{part.replace(/\n$/, "")}</code>
        </pre>,
      );
      return;
    }
    part
      .split(/\n{2,}/)
      .filter((b) => b.trim())
      .forEach((block, bi) => {
        const key = `b${fi}-${bi}`;
        const rows = block.split("\n");
        if (rows.every((r) => /^\s*[-*]\s+/.test(r)))
          blocks.push(
            <ul key={key}>
              {rows.map((r, ri) => (
                <li key={ri}>{inline(r.replace(/^\s*[-*]\s+/, ""), props, `${key}-${ri}`)}</li>
              ))}
            </ul>,
          );
        else if (rows.every((r) => /^\s*\d+[.)]\s+/.test(r)))
          blocks.push(
            <ol key={key}>
              {rows.map((r, ri) => (
                <li key={ri}>{inline(r.replace(/^\s*\d+[.)]\s+/, ""), props, `${key}-${ri}`)}</li>
              ))}
            </ol>,
          );
        else blocks.push(<p key={key}>{lines(block, props, key)}</p>);
      });
  });
  return <Fragment>{blocks}</Fragment>;
}
