/**
 * The parts of the service's experiment results and targeting list the 実験 sheet shows
 * (GET /v1/experiments/{id}/results and /targeting). Declared here rather than imported so
 * the Apps Script project does not pull in the service's Node-only modules.
 */
export interface SheetInterval {
  estimate: number;
  lower: number;
  upper: number;
}

export interface SheetResults {
  experiment: { id: string; name: string; hypothesis: string | null; status: string; goal_metric: string; arms: { name: string; weight: number }[] };
  window: { start: string; end: string };
  cuped: boolean;
  generated_at: string;
  stats: {
    level: number;
    srm: { observed: number[]; expected: number[]; chi_square: number; p_value: number; alarm: boolean };
    metrics: {
      name: string;
      goal: boolean;
      arms: { arm: string; units: number; conversions: number; rate: number }[];
      variants: {
        arm: string;
        absolute: SheetInterval;
        relative: SheetInterval | null;
        p_value: number;
        p_adjusted: number;
        significant: boolean;
        chance_to_beat_control: number;
        expected_loss: number;
        cuped: { absolute: SheetInterval; p_value: number } | null;
      }[];
    }[];
    warnings: { code: string; message_ja: string; message_en: string }[];
  };
}

export interface SheetTarget {
  rank: number;
  unit_id: string;
  segment: string;
  uplift: number;
  p_treatment: number;
  p_control: number;
  p_convert: number;
}

export interface SheetUplift {
  run_id: string | null;
  items: SheetTarget[];
}
