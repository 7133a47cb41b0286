/// The sign of the 2D orientation determinant, computed exactly on doubles.
///
/// `orient(a, b, p) = (bx − ax)(py − ay) − (by − ay)(px − ax)` is positive when p lies to the left
/// of the directed line a→b, negative to the right, zero when the three points are collinear.
/// Locating a point exactly (deciding "on this edge" versus "just beside it") needs the sign of
/// the true real-number value, not of a rounded one.
///
/// Algorithm: Shewchuk's adaptive orient2d (Shewchuk 1997, "Adaptive Precision Floating-Point
/// Arithmetic and Fast Robust Geometric Predicates"): first the plain double evaluation with its
/// forward error bound (`ccwerrboundA`); only when the result is too close to zero to trust, the
/// determinant is rebuilt as an exact sum of doubles — each difference split with Two-Diff, each
/// product with Two-Product (fused multiply-add) — and summed with Grow-Expansion; the sign of a
/// non-overlapping expansion is the sign of its largest non-zero component.
enum OrientationPredicate {
    /// Machine epsilon as Shewchuk defines it: half an ulp of 1 (2⁻⁵³).
    private static let epsilon = 0x1p-53
    /// Error bound of the plain double evaluation, relative to |detleft| + |detright|.
    private static let boundA = (3 + 16 * epsilon) * epsilon

    /// -1, 0 or +1: the exact sign of orient(a, b, p).
    @inline(__always)
    static func sign(_ ax: Double, _ ay: Double, _ bx: Double, _ by: Double,
                     _ px: Double, _ py: Double) -> Int {
        let detLeft = (bx - ax) * (py - ay)
        let detRight = (by - ay) * (px - ax)
        let det = detLeft - detRight
        let detSum: Double
        if detLeft > 0 {
            if detRight <= 0 { return det > 0 ? 1 : (det < 0 ? -1 : 0) }
            detSum = detLeft + detRight
        } else if detLeft < 0 {
            if detRight >= 0 { return det > 0 ? 1 : (det < 0 ? -1 : 0) }
            detSum = -detLeft - detRight
        } else {
            return det > 0 ? 1 : (det < 0 ? -1 : 0)
        }
        let bound = boundA * detSum
        if det >= bound { return det > 0 ? 1 : 0 }
        if -det >= bound { return det < 0 ? -1 : 0 }
        return exactSign(ax, ay, bx, by, px, py)
    }

    /// The exact sign, from the determinant written as a sum of 16 doubles.
    @inline(never)
    static func exactSign(_ ax: Double, _ ay: Double, _ bx: Double, _ by: Double,
                          _ px: Double, _ py: Double) -> Int {
        let u = twoDiff(bx, ax), v = twoDiff(py, ay)   // (bx − ax), (py − ay), each hi + lo exactly
        let s = twoDiff(by, ay), t = twoDiff(px, ax)   // (by − ay), (px − ax)
        return withUnsafeTemporaryAllocation(of: Double.self, capacity: 16) { expansion in
            var count = 0
            /// Grow-Expansion: adds `term` to the non-overlapping expansion, keeping it so.
            func grow(_ term: Double) {
                var q = term
                for index in 0..<count {
                    let (sum, error) = twoSum(q, expansion[index])
                    expansion[index] = error
                    q = sum
                }
                expansion[count] = q
                count += 1
            }
            for (left, right) in [(u.hi, v.hi), (u.hi, v.lo), (u.lo, v.hi), (u.lo, v.lo)] {
                let (product, error) = twoProduct(left, right)
                grow(product)
                grow(error)
            }
            for (left, right) in [(s.hi, t.hi), (s.hi, t.lo), (s.lo, t.hi), (s.lo, t.lo)] {
                let (product, error) = twoProduct(left, right)
                grow(-product)
                grow(-error)
            }
            for index in stride(from: count - 1, through: 0, by: -1) where expansion[index] != 0 {
                return expansion[index] > 0 ? 1 : -1
            }
            return 0
        }
    }

    /// Two-Sum (Knuth): a + b = sum + error exactly.
    @inline(__always)
    private static func twoSum(_ a: Double, _ b: Double) -> (Double, Double) {
        let sum = a + b
        let bVirtual = sum - a
        let aVirtual = sum - bVirtual
        return (sum, (a - aVirtual) + (b - bVirtual))
    }

    /// Two-Diff: a − b = hi + lo exactly.
    @inline(__always)
    private static func twoDiff(_ a: Double, _ b: Double) -> (hi: Double, lo: Double) {
        let (hi, lo) = twoSum(a, -b)
        return (hi, lo)
    }

    /// Two-Product with a fused multiply-add: a × b = product + error exactly (no underflow at
    /// the magnitudes of map coordinates).
    @inline(__always)
    private static func twoProduct(_ a: Double, _ b: Double) -> (Double, Double) {
        let product = a * b
        return (product, (-product).addingProduct(a, b))
    }
}
