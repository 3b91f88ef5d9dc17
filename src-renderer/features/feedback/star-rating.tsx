import { useState } from 'react';
import { StarIcon } from '../../common/icons';

/** 1–5 stars; clicking the current rating again clears it. */
export function StarRating({ value, disabled, onChange }: { value: number | null; disabled: boolean; onChange: (rating: number | null) => void }) {
  const [hovered, setHovered] = useState<number | null>(null);
  const shown = hovered ?? value ?? 0;
  return (
    <div className="star-rating" role="radiogroup" aria-label="Rating" onMouseLeave={() => setHovered(null)}>
      {[1, 2, 3, 4, 5].map((star) => (
        <button
          key={star}
          type="button"
          role="radio"
          aria-checked={value === star}
          aria-label={`${star} of 5 stars`}
          className={star <= shown ? 'star star-on' : 'star'}
          disabled={disabled}
          onMouseEnter={() => setHovered(star)}
          onClick={() => onChange(value === star ? null : star)}
        >
          <StarIcon filled={star <= shown} />
        </button>
      ))}
    </div>
  );
}
