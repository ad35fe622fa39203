/**
 * Two GPU layers drawn with one draw call each: every line (GL line-list) and every neuron
 * (GL point-list with round point sprites). Vertices are typed arrays written in place and
 * uploaded with one partial bufferSubData; the draw length is `geometry.indexCount` over an
 * identity index buffer, so capacity only grows. A custom shader (WebGL2 / GLSL ES 3.0) takes
 * pixi's projection and world transform, so zoom and pan are a container transform, never a
 * buffer rewrite. WebGL only: the plot asks pixi for a WebGL renderer.
 *
 * Large areas (plane fills, the CPU line image) use these shaders too, not pixi's Graphics /
 * Sprite: pixi's batch shader selects among up to 16 textures per pixel, which SwiftShader pays
 * for in full (a full-canvas sprite measured ~60 ms per frame there; this quad a fraction of it).
 */
import {
  Buffer,
  BufferUsage,
  Geometry,
  GlProgram,
  Mesh,
  Rectangle,
  Shader,
  UniformGroup,
  Texture,
  type Topology,
} from 'pixi.js';

const HEADER = `#version 300 es
precision highp float;`;

const LINE_VERTEX = `${HEADER}
in vec2 aPosition;
in vec4 aColor;
uniform mat3 uProjectionMatrix;
uniform mat3 uWorldTransformMatrix;
uniform mat3 uTransformMatrix;
uniform vec4 uColor;
out vec4 vColor;
void main() {
  mat3 mvp = uProjectionMatrix * uWorldTransformMatrix * uTransformMatrix;
  gl_Position = vec4((mvp * vec3(aPosition, 1.0)).xy, 0.0, 1.0);
  vColor = vec4(aColor.rgb, aColor.a * uColor.a);
}`;

const LINE_FRAGMENT = `${HEADER}
in vec4 vColor;
out vec4 finalColor;
void main() {
  finalColor = vec4(vColor.rgb * vColor.a, vColor.a); // pixi blends premultiplied alpha
}`;

const POINT_VERTEX = LINE_VERTEX.replace(
  'void main() {',
  'uniform float uPointSize;\nvoid main() {\n  gl_PointSize = uPointSize;',
);

/** A round, anti-aliased dot with a thin rim so overlapping neurons stay distinguishable. */
const POINT_FRAGMENT = `${HEADER}
in vec4 vColor;
uniform float uPointSize;
uniform vec4 uRimColor;
out vec4 finalColor;
void main() {
  float r = length(gl_PointCoord * 2.0 - 1.0);
  float px = 2.0 / max(uPointSize, 1.0);
  float alpha = vColor.a * (1.0 - smoothstep(1.0 - px, 1.0, r));
  float rim = uRimColor.a * smoothstep(1.0 - 3.0 * px, 1.0 - 1.5 * px, r);
  vec3 rgb = mix(vColor.rgb, uRimColor.rgb, rim);
  finalColor = vec4(rgb * alpha, alpha);
}`;

function identity(n: number): Uint32Array {
  const a = new Uint32Array(n);
  for (let q = 0; q < n; q++) a[q] = q;
  return a;
}

/** Vertex storage + mesh shared by the line and point layers. */
class VertexLayer {
  readonly mesh: Mesh<Geometry, Shader>;
  /** x, y per vertex in layout pixels; write then call commit() */
  positions = new Float32Array(0);
  /** packed RGBA (see palette.ts) per vertex */
  colors = new Uint32Array(0);
  private readonly posBuffer: Buffer;
  private readonly colorBuffer: Buffer;
  private readonly indexBuffer: Buffer;

  constructor(topology: Topology, shader: Shader, capacity: number) {
    const usage = BufferUsage.VERTEX | BufferUsage.COPY_DST;
    this.posBuffer = new Buffer({ data: new Float32Array(2), usage, label: 'embedding-positions' });
    this.colorBuffer = new Buffer({ data: new Uint32Array(1), usage, label: 'embedding-colors' });
    this.indexBuffer = new Buffer({ data: new Uint32Array(1), usage: BufferUsage.INDEX | BufferUsage.COPY_DST });
    const geometry = new Geometry({
      attributes: {
        aPosition: { buffer: this.posBuffer, format: 'float32x2' },
        aColor: { buffer: this.colorBuffer, format: 'unorm8x4' },
      },
      indexBuffer: this.indexBuffer,
      topology,
    });
    this.mesh = new Mesh({ geometry, shader });
    this.mesh.eventMode = 'none';
    // a fixed bounds area: pixi never walks 100k vertices to measure a mesh nobody culls or hits
    this.mesh.boundsArea = new Rectangle(-1e6, -1e6, 2e6, 2e6);
    this.ensure(capacity);
  }

  /** Grows the vertex storage to hold `vertices` (keeps the old contents' prefix unspecified). */
  ensure(vertices: number): void {
    if (vertices <= this.colors.length && vertices > 0) return;
    const cap = Math.max(16, Math.ceil(vertices * 1.25));
    this.positions = new Float32Array(cap * 2);
    this.colors = new Uint32Array(cap);
    this.posBuffer.data = this.positions;
    this.colorBuffer.data = this.colors;
    this.indexBuffer.data = identity(cap);
  }

  /** Uploads the first `vertices` vertices and draws exactly those. */
  commit(vertices: number, colorsChanged = true): void {
    this.mesh.visible = vertices > 0;
    if (vertices === 0) return;
    this.posBuffer.update(vertices * 8);
    if (colorsChanged) this.colorBuffer.update(vertices * 4);
    this.mesh.geometry.indexCount = vertices;
  }

  destroy(): void {
    const { geometry, shader } = this.mesh; // Mesh.destroy() forgets both
    this.mesh.destroy();
    geometry.destroy(true);
    shader?.destroy(true);
  }
}

/** Flat, per-vertex coloured triangles (plane fills): the line shader, triangle topology. */
export class FillLayer extends VertexLayer {
  constructor() {
    super(
      'triangle-list',
      new Shader({
        glProgram: new GlProgram({ vertex: LINE_VERTEX, fragment: LINE_FRAGMENT, name: 'embedding-fills' }),
        resources: {},
      }),
      64,
    );
  }
}

export class LineLayer extends VertexLayer {
  constructor() {
    super(
      'line-list',
      new Shader({
        glProgram: new GlProgram({ vertex: LINE_VERTEX, fragment: LINE_FRAGMENT, name: 'embedding-lines' }),
        resources: {},
      }),
      1024,
    );
  }
}

export class PointLayer extends VertexLayer {
  private readonly uniforms: UniformGroup;

  constructor() {
    const uniforms = new UniformGroup({
      uPointSize: { value: 5, type: 'f32' },
      uRimColor: { value: new Float32Array([0, 0, 0, 0.45]), type: 'vec4<f32>' },
    });
    super(
      'point-list',
      new Shader({
        glProgram: new GlProgram({ vertex: POINT_VERTEX, fragment: POINT_FRAGMENT, name: 'embedding-points' }),
        resources: { pointUniforms: uniforms },
      }),
      4096,
    );
    this.uniforms = uniforms;
  }

  /** Dot diameter in device pixels and the rim colour (0xRRGGBB, alpha). */
  style(diameterDevicePx: number, rim: number, rimAlpha: number): void {
    this.uniforms.uniforms.uPointSize = diameterDevicePx;
    const c = this.uniforms.uniforms.uRimColor as Float32Array;
    c[0] = ((rim >> 16) & 255) / 255;
    c[1] = ((rim >> 8) & 255) / 255;
    c[2] = (rim & 255) / 255;
    c[3] = rimAlpha;
    this.uniforms.update();
  }
}

const QUAD_VERTEX = `${HEADER}
in vec2 aPosition;
in vec2 aUV;
uniform mat3 uProjectionMatrix;
uniform mat3 uWorldTransformMatrix;
uniform mat3 uTransformMatrix;
out vec2 vUV;
void main() {
  mat3 mvp = uProjectionMatrix * uWorldTransformMatrix * uTransformMatrix;
  gl_Position = vec4((mvp * vec3(aPosition, 1.0)).xy, 0.0, 1.0);
  vUV = aUV;
}`;

const QUAD_FRAGMENT = `${HEADER}
in vec2 vUV;
uniform sampler2D uTexture;
out vec4 finalColor;
void main() {
  finalColor = texture(uTexture, vUV); // already premultiplied
}`;

/** One textured rectangle (0, 0)-(width, height) in local units, with a one-sample shader. */
export class TextureQuad {
  readonly mesh: Mesh<Geometry, Shader>;
  private readonly positions = new Float32Array(8);

  constructor(texture: Texture) {
    const geometry = new Geometry({
      attributes: {
        aPosition: {
          buffer: new Buffer({ data: this.positions, usage: BufferUsage.VERTEX | BufferUsage.COPY_DST }),
          format: 'float32x2',
        },
        aUV: { buffer: Float32Array.of(0, 0, 1, 0, 1, 1, 0, 1), format: 'float32x2' },
      },
      indexBuffer: Uint32Array.of(0, 1, 2, 0, 2, 3),
      topology: 'triangle-list',
    });
    const shader = new Shader({
      glProgram: new GlProgram({ vertex: QUAD_VERTEX, fragment: QUAD_FRAGMENT, name: 'embedding-image' }),
      resources: { uTexture: texture.source, uSampler: texture.source.style },
    });
    this.mesh = new Mesh({ geometry, shader });
    this.mesh.eventMode = 'none';
    this.mesh.boundsArea = new Rectangle(-1e6, -1e6, 2e6, 2e6);
  }

  /** Shows `texture` stretched over (0, 0)-(width, height). */
  set(texture: Texture, width: number, height: number): void {
    (this.mesh.shader as Shader).resources.uTexture = texture.source;
    this.positions.set([0, 0, width, 0, width, height, 0, height]);
    this.mesh.geometry.getBuffer('aPosition').update();
  }

  destroy(): void {
    const { geometry, shader } = this.mesh; // Mesh.destroy() forgets both
    // unbind the image first, so CpuLines can destroy it without pixi's "still bound" warning
    if (shader) shader.resources.uTexture = Texture.EMPTY.source;
    this.mesh.destroy();
    geometry.destroy(true);
    shader?.destroy(); // not the texture: CpuLines owns it
  }
}
