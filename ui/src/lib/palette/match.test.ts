import { describe, expect, it } from "vitest";
import { matchScore, rank } from "./match";

const TOKYO = { label: "Asia Pacific (Tokyo) · ap-northeast-1", keywords: ["apne1"] };
const SEOUL = { label: "Asia Pacific (Seoul) · ap-northeast-2", keywords: ["apne2"] };
const VIRGINIA = { label: "US East (N. Virginia) · us-east-1", keywords: ["use1"] };
const SINGAPORE = { label: "Asia Pacific (Singapore) · ap-southeast-1", keywords: ["apse1"] };
const REGIONS = [VIRGINIA, SINGAPORE, SEOUL, TOKYO];

describe("palette matching", () => {
  it("keeps everything, in order, for an empty query", () => {
    expect(rank("", REGIONS)).toEqual(REGIONS);
    expect(rank("   ", REGIONS)).toEqual(REGIONS);
  });

  it("finds a region by a word of its name, in any case", () => {
    expect(rank("tokyo", REGIONS)).toEqual([TOKYO]);
    expect(rank("TOK", REGIONS)).toEqual([TOKYO]);
  });

  it("finds a region by its code, its short code or the starts of its words", () => {
    expect(rank("ap-northeast-1", REGIONS)).toEqual([TOKYO]);
    expect(rank("apne1", REGIONS)).toEqual([TOKYO]);
    expect(rank("apne", REGIONS)).toEqual([SEOUL, TOKYO]);
    expect(rank("use1", REGIONS)).toEqual([VIRGINIA]);
    expect(rank("apsing", REGIONS)).toEqual([SINGAPORE]);
  });

  it("needs every word of the query, in any field", () => {
    expect(rank("asia 2", REGIONS)).toEqual([SEOUL]);
    expect(rank("asia virginia", REGIONS)).toEqual([]);
  });

  it("ranks the start of the label, then a word in it, then text inside, then word starts", () => {
    const entries = [
      { label: "Prod – sessions store" },
      { label: "Session recorder" },
      { label: "Sessions" },
      { label: "Glasses" },
      { label: "Platform services" },
    ];
    expect(rank("ses", entries).map((e) => e.label)).toEqual([
      "Session recorder",
      "Sessions",
      "Prod – sessions store",
      "Glasses",
    ]);
    expect(rank("ps", entries).map((e) => e.label)).toEqual([
      "Prod – sessions store",
      "Platform services",
    ]);
    expect(rank("sx", entries)).toEqual([]);
  });

  it("ranks a label match above a match in the detail or keywords", () => {
    const alias = { label: "Prod – payments", detail: "prod-admin · us-east-1 · assume role" };
    const named = { label: "prod-admin", detail: "assume role" };
    expect(rank("prod-admin", [alias, named])).toEqual([named, alias]);
    expect(matchScore("payments", alias)).toBe(1);
    expect(matchScore("role", named)).toBe(1.5);
  });

  it("matches Japanese text and full-width letters", () => {
    const tokyo = { label: "アジアパシフィック (東京) · ap-northeast-1" };
    expect(matchScore("東京", tokyo)).not.toBeNull();
    expect(matchScore("ＮＯＲＴＨＥＡＳＴ－１", tokyo)).not.toBeNull();
    expect(matchScore("大阪", tokyo)).toBeNull();
  });
});
