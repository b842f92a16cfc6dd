/** The element type of a kernel's arrays: Float64Array or Float32Array. */
export type Dtype = "f64" | "f32";
